"""The Telegram channel (channels/telegram.py) against a local stand-in Bot API.

The unit tests drive the connector's pieces in-process. The end-to-end tests start the
real action server and Rasa with TELEGRAM_* set (so scripts/start-rasa.sh adds the
channel), point TELEGRAM_API_URL at the stand-in (tests/telegram_stub.py), post real
Update JSON to /webhooks/telegram/webhook and check the exact Bot API calls made.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import os
import re

import pytest
import requests
import yaml
from rasa.shared.core.domain import Domain

from channels.telegram import (
    CALLBACK_DATA_LIMIT,
    CallbackPayloads,
    Incoming,
    MalformedUpdate,
    TelegramChannel,
    TelegramSettings,
    parse_update,
)
from components.georgian import georgian_share
from components.responses import in_language
from tests.conftest import PROJECT_DIR, Servers
from tests.telegram_stub import BOT_USER, TelegramStub

TOKEN = "123456:TEST-token-for-the-stand-in"
WEBHOOK_URL = "https://example.org/webhooks/telegram/webhook"
DOMAIN = Domain.load(str(PROJECT_DIR / "domain")).as_dict()


def variation(response: str, language: str) -> dict:
    """The Georgian (default) or English variation of a response in domain/."""
    return in_language(DOMAIN["responses"][response], language)[0]


def utf8_length(text: str) -> int:
    return len(text.encode("utf-8"))


# --- callback_data within 64 bytes ---------------------------------------------------

def test_payloads_that_fit_go_unchanged():
    payloads = CallbackPayloads()
    for payload in ("/ask_event_venue", "/ask_open_government", "x" * CALLBACK_DATA_LIMIT):
        assert payloads.encode(payload) == payload
        assert payloads.decode(payload) == payload


def test_a_long_georgian_payload_gets_a_short_key_and_comes_back():
    payloads = CallbackPayloads()
    payload = '/ask_principle{"principle": "კანონის უზენაესობა"}'  # 17 letters x 3 bytes
    assert utf8_length(payload) > CALLBACK_DATA_LIMIT
    data = payloads.encode(payload)
    assert utf8_length(data) <= CALLBACK_DATA_LIMIT
    assert data.startswith("/ask_principle#")
    assert payloads.decode(data) == payload


def test_a_forgotten_key_falls_back_to_the_intent_or_a_whole_letter_prefix():
    payload = '/ask_principle{"principle": "კანონის უზენაესობა"}'
    text = "როდის და სად ტარდება ღია მმართველობის ღონისძიება?"
    data, text_data = CallbackPayloads().encode(payload), CallbackPayloads().encode(text)
    restarted = CallbackPayloads()  # e.g. after a restart: the table is empty
    assert restarted.decode(data) == "/ask_principle"
    fallback = restarted.decode(text_data)
    assert utf8_length(text_data) <= CALLBACK_DATA_LIMIT
    assert fallback and text.startswith(fallback)  # cut between letters, never inside one


def test_a_short_payload_that_looks_like_a_key_is_keyed_too():
    payloads = CallbackPayloads()
    tricky = "/ask#0123456789abcdef"
    assert payloads.encode(tricky) != tricky
    assert payloads.decode(payloads.encode(tricky)) == tricky


def test_the_key_table_is_bounded():
    payloads = CallbackPayloads(max_entries=3)
    data = [payloads.encode(f"/ask_principle{{\"principle\": \"{'ა' * 20}{i}\"}}") for i in range(5)]
    assert len(payloads._payloads) == 3
    assert payloads.decode(data[0]) == "/ask_principle"  # evicted: the intent is left
    assert payloads.decode(data[4]).endswith('4"}')


# --- reading updates -------------------------------------------------------------------

CHAT = {"id": 77, "type": "private", "first_name": "Nino"}


@pytest.mark.parametrize("body", [
    b"{not json", b"", b"\xff\xfe", b"[]", b'"text"', b'{"message": "hi"}',
    b'{"message": {"chat": {"id": "77"}, "text": "hi"}}',
    b'{"callback_query": {"data": "/greet", "message": {"chat": {"id": 77}}}}',
])
def test_malformed_updates_are_refused(body):
    with pytest.raises(MalformedUpdate):
        parse_update(body)


@pytest.mark.parametrize("update", [
    {"update_id": 1},
    {"update_id": 2, "channel_post": {"chat": CHAT, "text": "hi"}},
    {"update_id": 3, "message": {"chat": CHAT, "new_chat_members": [BOT_USER]}},
    {"update_id": 4, "edited_message": {"chat": CHAT, "location": {"latitude": 1, "longitude": 2}}},
    {"update_id": 5, "message": {"chat": CHAT, "text": "   "}},
])
def test_updates_without_a_message_to_answer_are_ignored(update):
    assert parse_update(json.dumps(update).encode()) is None


def test_text_edits_buttons_and_stickers_are_read():
    def parse(update):
        return parse_update(json.dumps(update).encode())

    assert parse({"update_id": 1, "message": {"chat": CHAT, "text": "გამარჯობა"}}) == \
        Incoming("text", 77, "გამარჯობა", update_id=1)
    assert parse({"update_id": 2, "edited_message": {"chat": CHAT, "text": "hi"}}) == \
        Incoming("text", 77, "hi", update_id=2)
    assert parse({"update_id": 3, "callback_query": {
        "id": "q1", "from": BOT_USER, "data": "/greet", "message": {"chat": CHAT}}}) == \
        Incoming("button", 77, "/greet", "q1", 3)
    assert parse({"update_id": 4, "message": {"chat": CHAT, "sticker": {"file_id": "x"}}}) == \
        Incoming("unsupported", 77, update_id=4)


def test_settings_come_from_the_environment():
    settings = TelegramSettings.from_env({"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_BOT_NAME": "@avatar_bot"})
    assert settings == TelegramSettings(token=TOKEN, bot_name="avatar_bot",
                                        api_url="https://api.telegram.org")
    with pytest.raises(Exception, match="TELEGRAM_TOKEN"):
        TelegramSettings.from_env({"TELEGRAM_TOKEN": ""})


def test_the_secret_token_is_configured_or_new_at_every_start():
    configured = TelegramSettings.from_env({"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_SECRET_TOKEN": "s3cret_-X"})
    assert TelegramChannel(configured).secret_token == "s3cret_-X"
    unset = TelegramSettings.from_env({"TELEGRAM_TOKEN": TOKEN})
    first, second = TelegramChannel(unset).secret_token, TelegramChannel(unset).secret_token
    assert first != second and len(first) >= 32 and re.fullmatch(r"[A-Za-z0-9_-]+", first)
    with pytest.raises(Exception, match="TELEGRAM_SECRET_TOKEN"):
        TelegramSettings.from_env({"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_SECRET_TOKEN": "no spaces"})


def test_group_commands_lose_the_bot_name_and_start_greets():
    channel = TelegramChannel(TelegramSettings(token=TOKEN, bot_name="avatar_bot"))
    assert channel._command_text("/start") == "/greet"
    assert channel._command_text("/start@Avatar_Bot") == "/greet"
    assert channel._command_text("/help@avatar_bot") == "/help"
    assert channel._command_text(" what can you do? ") == "what can you do?"


# --- the bot against the stand-in, in-process ------------------------------------------

@pytest.fixture
def stub():
    running = TelegramStub(TOKEN).start()
    yield running
    running.stop()


def channel_for(stub: TelegramStub, **settings) -> TelegramChannel:
    return TelegramChannel(TelegramSettings(token=TOKEN, api_url=stub.base_url, **settings))


def test_made_outside_a_loop_and_used_inside_one(stub):
    """Rasa builds the channel and asks for its output channel before Sanic's loop runs;
    nothing may be bound to a loop then (Rasa's own connector breaks here)."""
    channel = channel_for(stub, bot_name="avatar_test_bot", webhook_url=WEBHOOK_URL)
    bot = channel.get_output_channel()
    assert bot._session is None

    async def serve():
        await channel.start()
        await bot.send_response("77", {"text": "გამარჯობა"})
        await channel.close()

    asyncio.run(serve())
    assert stub.calls() == [
        {"method": "setWebhook", "params": {
            "url": WEBHOOK_URL, "allowed_updates": '["message","edited_message","callback_query"]',
            "secret_token": channel.secret_token}},
        {"method": "sendMessage", "params": {"chat_id": "77", "text": "გამარჯობა"}},
    ]


def test_getme_is_called_once_when_the_bot_name_is_unset(stub):
    channel = channel_for(stub)

    async def serve():
        await channel.start()
        await channel.close()

    asyncio.run(serve())
    assert [call["method"] for call in stub.calls()] == ["getMe"]
    assert channel.verify == BOT_USER["username"]


def test_a_failing_set_webhook_is_logged_not_raised(stub, caplog):
    stub.failures["setWebhook"] = (400, "Bad Request: bad webhook: Failed to resolve host")
    channel = channel_for(stub, bot_name="avatar_test_bot", webhook_url=WEBHOOK_URL)

    async def serve():
        await channel.start()
        await channel.close()

    with caplog.at_level(logging.ERROR, logger="channels.telegram"):
        asyncio.run(serve())
    assert "Telegram setWebhook failed" in caplog.text
    assert "Telegram webhook not set" in caplog.text
    assert TOKEN not in caplog.text


def test_a_call_without_answer_times_out_and_is_logged(stub, caplog):
    stub.delays["sendMessage"] = 3
    channel = channel_for(stub, bot_name="avatar_test_bot", timeout=0.5)

    async def send():
        await channel.get_output_channel().send_response("77", {"text": "hi"})
        await channel.close()

    with caplog.at_level(logging.ERROR, logger="channels.telegram"):
        asyncio.run(asyncio.wait_for(send(), 2))
    assert "Telegram sendMessage failed: TimeoutError" in caplog.text


# --- end to end: the real servers, real updates ------------------------------------------

_ids = itertools.count(5000)


def message(chat_id: int, **content) -> dict:
    return {
        "message_id": next(_ids),
        "from": {"id": chat_id, "is_bot": False, "first_name": "Nino", "language_code": "ka"},
        "chat": {"id": chat_id, "first_name": "Nino", "type": "private"},
        "date": 1716544800,
        **content,
    }


def update(**content) -> dict:
    return {"update_id": next(_ids), **content}


STICKER = {"file_id": "CAACAgIAAxkBAAIBZ2Z", "file_unique_id": "AgADfwADwDZPEw", "width": 512,
           "height": 512, "is_animated": False, "is_video": False, "type": "regular", "emoji": "👍"}
PHOTO = [{"file_id": "AgACAgIAAxkBAAIBa2Z", "file_unique_id": "AQADc7wxG", "width": 90,
          "height": 67, "file_size": 1544}]


@contextlib.contextmanager
def telegram_servers(model_path, workdir, **extra_env: str):
    """The action server and Rasa with the Telegram channel on, talking to a stand-in Bot
    API; yields (servers, stub) once Rasa has set its webhook. ``extra_env``: more settings
    (e.g. TELEGRAM_SECRET_TOKEN, the channels' rate limit)."""
    stub = TelegramStub(TOKEN).start()
    servers = Servers(model_path, workdir, extra_env={
        "RASA_MODEL": str(model_path),
        "TELEGRAM_TOKEN": TOKEN,
        "TELEGRAM_BOT_NAME": BOT_USER["username"],
        "TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
        "TELEGRAM_API_URL": stub.base_url,
        **extra_env,
    })
    try:
        servers.start("actions")
        servers.start("rasa")
        stub.wait_for(lambda calls: any(c["method"] == "setWebhook" for c in calls))
        yield servers, stub
    finally:
        servers.stop_all()
        stub.stop()


@pytest.fixture(scope="module")
def telegram(model_path, tmp_path_factory):
    """The action server and Rasa with the Telegram channel on, talking to the stand-in."""
    with telegram_servers(model_path, tmp_path_factory.mktemp("telegram")) as (servers, stub):
        # no TELEGRAM_SECRET_TOKEN: Rasa made one and gave it to Telegram with the webhook
        servers.telegram_secret = stub.calls("setWebhook")[0]["params"]["secret_token"]
        yield servers, stub


def post(servers: Servers, body, secret: str | None = None) -> requests.Response:
    """Posts an update as Telegram does: with the webhook's secret token."""
    url = f"{servers.rasa_url}/webhooks/telegram/webhook"
    headers = {"X-Telegram-Bot-Api-Secret-Token": servers.telegram_secret if secret is None else secret}
    if isinstance(body, (bytes, str)):
        return requests.post(url, data=body, timeout=60,
                             headers={"Content-Type": "application/json", **headers})
    return requests.post(url, json=body, headers=headers, timeout=60)


def sent_text(chat_id: int, text: str) -> dict:
    return {"method": "sendMessage", "params": {"chat_id": str(chat_id), "text": text}}


RATING_ROW = [{"text": "\N{THUMBS UP SIGN}", "callback_data": '/feedback{"rating": "up"}'},
              {"text": "\N{THUMBS DOWN SIGN}", "callback_data": '/feedback{"rating": "down"}'}]


def sent_answer(chat_id: int, texts: list[str]) -> list[dict]:
    """What a typed question gets: its answers, the last with 👍 and 👎 under it."""
    calls = [sent_text(chat_id, text) for text in texts]
    calls[-1]["params"]["reply_markup"] = {"inline_keyboard": [RATING_ROW]}
    return calls


def answers(stub: TelegramStub, chat_id: int | None = None) -> list[dict]:
    """The stub's calls, with the reply_markup that aiogram writes as a JSON string read."""
    return [{**call, "params": {**call["params"], **(
        {"reply_markup": json.loads(call["params"]["reply_markup"])} if "reply_markup" in call["params"] else {})}}
        for call in stub.calls(chat_id=chat_id)]


def rest_texts(servers: Servers, *messages: str) -> list[str]:
    """What the assistant answers over REST to the last of ``messages`` (one conversation)."""
    sender = f"rest-{next(_ids)}"
    for text in messages:
        answers = servers.ask(text, sender=sender)
    return [answer["text"] for answer in answers]


e2e = pytest.mark.e2e


@e2e
def test_the_webhook_is_set_once_and_getme_is_never_called(telegram):
    servers, stub = telegram
    assert stub.calls("setWebhook") == [{"method": "setWebhook", "params": {
        "url": WEBHOOK_URL, "allowed_updates": '["message","edited_message","callback_query"]',
        "secret_token": servers.telegram_secret}}]
    post(servers, update(message=message(1000, text="hi")))
    assert stub.calls("getMe") == []
    log = (servers.workdir / "rasa.log").read_text()
    assert "Event loop is closed" not in log and TOKEN not in log


@e2e
def test_a_georgian_question_gets_its_answer_in_georgian(telegram):
    servers, stub = telegram
    question = "როდის არის ღონისძიება?"
    answer = post(servers, update(message=message(1001, text=question)))
    assert answer.status_code == 200
    expected = rest_texts(servers, question)
    assert answers(stub, 1001) == sent_answer(1001, expected)
    (text,) = expected
    assert text.startswith("ღონისძიების თარიღი:") and "24" in text and "მაის" in text
    assert georgian_share(text) > 0.5

    # 👎 under the answer: the rating is kept (actions/feedback.py) and acknowledged in Georgian
    stub.clear()
    press = update(callback_query={
        "id": "77aa", "chat_instance": "-1", "from": message(1001)["from"], "data": '/feedback{"rating": "down"}',
        "message": {**message(1001, text=text), "from": BOT_USER},
    })
    assert post(servers, press).status_code == 200
    calls = stub.calls(chat_id=1001)
    assert calls[0]["params"]["text"] == variation("utter_feedback_down", "ka")["text"]
    assert RATING_ROW not in json.loads(calls[0]["params"]["reply_markup"])["inline_keyboard"]  # a press: not rated


@e2e
def test_an_english_question_gets_buttons_and_a_press_is_answered(telegram):
    servers, stub = telegram
    chat = 1002
    post(servers, update(message=message(chat, text="what can you do?")))
    help_en = variation("utter_help", "en")
    (call,) = stub.calls(chat_id=chat)
    assert call["method"] == "sendMessage"
    assert call["params"]["text"] == help_en["text"]
    keyboard = json.loads(call["params"]["reply_markup"])["inline_keyboard"]
    assert keyboard == [[{"text": b["title"], "callback_data": b["payload"]}] for b in help_en["buttons"]] + [RATING_ROW]
    assert all(utf8_length(row[0]["callback_data"]) <= CALLBACK_DATA_LIMIT for row in keyboard)

    stub.clear()
    press = update(callback_query={
        "id": "4382bfdwdsb323b2d9", "chat_instance": "-8250000000000000000",
        "from": message(chat)["from"], "data": "/ask_event_venue",
        "message": {**message(chat, text=help_en["text"]), "from": BOT_USER},
    })
    assert post(servers, press).status_code == 200
    (venue,) = rest_texts(servers, "what can you do?", "/ask_event_venue")
    assert venue.startswith("Venue: Faber Box, Schio")
    assert stub.calls() == [
        {"method": "answerCallbackQuery", "params": {"callback_query_id": "4382bfdwdsb323b2d9"}},
        sent_text(chat, venue),
    ]


@e2e
def test_an_edited_message_is_answered_like_a_new_one(telegram):
    servers, stub = telegram
    chat = 1003
    original = message(chat, text="როდის არის ღონისძება")
    post(servers, update(message=original))
    stub.clear()
    edited = {**original, "text": "სად არის ღონისძიება?", "edit_date": original["date"] + 30}
    assert post(servers, update(edited_message=edited)).status_code == 200
    (venue,) = rest_texts(servers, "სად არის ღონისძიება?")
    assert venue.startswith("ღონისძიების ადგილი: ფაბერ ბოქსი (Faber Box)")
    assert answers(stub) == sent_answer(chat, [venue])


@e2e
def test_stickers_and_photos_get_told_in_the_conversations_language(telegram):
    servers, stub = telegram
    english_chat, new_chat = 1004, 1005
    post(servers, update(message=message(english_chat, text="what is open government?")))
    stub.clear()
    assert post(servers, update(message=message(english_chat, sticker=STICKER))).status_code == 200
    assert post(servers, update(message=message(new_chat, photo=PHOTO))).status_code == 200
    assert stub.calls() == [
        sent_text(english_chat, variation("utter_unsupported_message", "en")["text"]),
        sent_text(new_chat, variation("utter_unsupported_message", "ka")["text"]),
    ]


@e2e
def test_start_greets_and_a_resent_update_is_answered_once(telegram):
    servers, stub = telegram
    start = update(message=message(1006, text="/start", entities=[
        {"type": "bot_command", "offset": 0, "length": 6}]))
    post(servers, start)
    post(servers, start)  # Telegram resends when the first answer came too late
    assert stub.calls() and stub.calls(chat_id=1006) == [
        sent_text(1006, variation("utter_greet", "ka")["text"])]


@e2e
@pytest.mark.parametrize("body", [
    b"{not json", b"", b"[1, 2]", b'{"update_id": 7, "message": "hi"}',
    b'{"update_id": 8, "message": {"text": "hi"}}',
])
def test_malformed_updates_get_400_and_rasa_stays_up(telegram, body):
    servers, stub = telegram
    stub.clear()
    answer = post(servers, body)
    assert answer.status_code == 400
    assert answer.json() == {"error": "malformed update"}
    assert stub.calls() == []
    assert servers.processes["rasa"].poll() is None
    assert requests.get(f"{servers.rasa_url}/webhooks/telegram/", timeout=10).json() == {"status": "ok"}


@e2e
@pytest.mark.parametrize("secret", ["", "wrong"])
def test_an_update_without_the_secret_token_gets_403(telegram, secret):
    servers, stub = telegram
    stub.clear()
    answer = post(servers, update(message=message(1010, text="hello")), secret=secret)
    assert answer.status_code == 403
    assert stub.calls() == []
    log = (servers.workdir / "rasa.log").read_text()
    assert servers.telegram_secret not in log


@e2e
def test_updates_without_a_message_are_ignored(telegram):
    servers, stub = telegram
    stub.clear()
    for body in (update(), update(my_chat_member={"chat": {"id": 1007, "type": "private"}})):
        assert post(servers, body).status_code == 200
    assert stub.calls() == []


@e2e
def test_a_failed_send_is_logged_and_the_assistant_carries_on(telegram):
    servers, stub = telegram
    stub.blocked_chats.add("1008")
    try:
        assert post(servers, update(message=message(1008, text="hello"))).status_code == 200
        assert [c["method"] for c in stub.calls(chat_id=1008)] == ["sendMessage"]
        log = (servers.workdir / "rasa.log").read_text()
        assert "Telegram sendMessage failed: BotBlocked: Forbidden: bot was blocked by the user" in log
    finally:
        stub.blocked_chats.discard("1008")
    stub.clear()
    post(servers, update(message=message(1009, text="what is open government?")))
    assert answers(stub, 1009) == sent_answer(1009, rest_texts(servers, "what is open government?"))
    assert servers.processes["rasa"].poll() is None


@e2e
def test_start_rasa_adds_the_channel_to_an_effective_credentials_file(telegram):
    effective = (PROJECT_DIR / "var" / "credentials.yml").read_text(encoding="utf-8")
    base = (PROJECT_DIR / "credentials.yml").read_text(encoding="utf-8")
    assert effective.startswith(base)
    assert yaml.safe_load(effective[len(base):]) == {"channels.telegram.TelegramChannel": None}


@e2e
def test_without_a_token_the_channel_is_off(servers):
    """The ordinary servers (no TELEGRAM_TOKEN) have no Telegram webhook."""
    if token_configured_outside_the_tests():
        pytest.skip("TELEGRAM_TOKEN is set in the environment or .env")
    assert requests.get(f"{servers.rasa_url}/webhooks/telegram/", timeout=10).status_code == 404
    assert requests.get(f"{servers.rasa_url}/webhooks/rest/", timeout=10).status_code == 200


def token_configured_outside_the_tests() -> bool:
    dotenv = PROJECT_DIR / ".env"
    lines = dotenv.read_text(encoding="utf-8").splitlines() if dotenv.exists() else []
    return bool(os.environ.get("TELEGRAM_TOKEN")) or any(
        line.startswith("TELEGRAM_TOKEN=") and line.strip() != "TELEGRAM_TOKEN=" for line in lines)
