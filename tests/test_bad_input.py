"""Bad input to every way in: the REST, socket.io and Telegram channels (channels/guard.py
and the channels) and the action server's /webhook (channels/action_server.py).

The unit tests check the shared pieces in-process. The end-to-end tests start the real
action server and Rasa (with the Telegram channel on, talking to the local stand-in, and
a rate limit of RATE_LIMIT messages a minute so that it is quick to reach), send real
requests and check the answers, the stored conversation, and that the servers still
answer normally after each request.
"""

from __future__ import annotations

import itertools
import json
import socket
import sqlite3
import time
import unicodedata
import uuid
import zlib

import pytest
import requests
import socketio

from channels.action_server import BadActionCall, check_action_call
from channels.guard import DEFAULT_MAX_MESSAGE_CHARS, RateLimiter, normalise
from channels.notices import NOTICES, notice
from channels.rest import BadRequest, parse_body
from components.georgian import georgian_share
from tests.conftest import Servers
from tests.test_telegram import message, telegram_servers, update, variation

MAX_CHARS = DEFAULT_MAX_MESSAGE_CHARS
RATE_LIMIT = 5
SECRET = "bad-input-secret_0123456789"
RASA_MAX_BYTES = 1_048_576  # scripts/start-rasa.sh's default
ACTIONS_MAX_BYTES = 16_777_216  # scripts/start-actions.sh's default

EMOJI = "👩‍👩‍👧 👍🏽 🇬🇪"
RTL = "שלום، مرحبا بكم"
MIXED = "AVATAR-ის ღონისძიება Schio-ში 🎉"


# --- unit: the shared pieces --------------------------------------------------------------

def test_control_characters_go_line_breaks_become_spaces():
    assert normalise("a\x00b\nc\td\r\ne\x7f\x1b[31m  ").text == "ab c d  e"
    assert normalise("\ud800ok").text == "ok"  # a lone surrogate cannot be stored as UTF-8


def test_unicode_is_composed_nfc():
    decomposed = "cafe\u0301 e\u0301"
    assert normalise(decomposed).text == unicodedata.normalize("NFC", decomposed) == "café é"


@pytest.mark.parametrize("text", [EMOJI, RTL, MIXED, "\u200fשלום\u200e hi", "გამარჯობა"])
def test_emoji_right_to_left_and_mixed_scripts_pass_untouched(text):
    assert normalise(text).text == text
    assert not normalise(text).empty


def test_long_text_is_cut_at_the_setting_and_says_so():
    result = normalise("ა" * 100_000, MAX_CHARS)
    assert (len(result.text), result.original_chars, result.cut) == (MAX_CHARS, 100_000, True)
    assert not normalise("a" * MAX_CHARS, MAX_CHARS).cut
    # not in the middle of an emoji sequence joined by ZWJ
    assert not normalise("x" * 9 + "👩\u200d👩", 10).text.endswith("\u200d")


@pytest.mark.parametrize("text", ["", "   ", "\n\t\r ", "\x00\x01", "\u200b\u200f"])
def test_nothing_to_read_is_empty(text):
    assert normalise(text).empty


def test_rate_limiter_slides_and_forgets():
    now = [0.0]
    limiter = RateLimiter(3, 60, max_senders=2, clock=lambda: now[0])
    assert [limiter.admit("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.admit("b")
    now[0] = 59.9
    assert not limiter.admit("a")
    now[0] = 60.0
    assert limiter.admit("a")
    limiter.admit("c")  # a third sender: the least recently seen ("b") is forgotten
    assert set(limiter._times) == {"a", "c"}


def test_every_notice_exists_in_georgian_and_english():
    for name, sentences in NOTICES.items():
        assert set(sentences) == {"ka", "en"}, name
        assert georgian_share(notice(name, "ka", limit=MAX_CHARS)) > 0.5
        assert georgian_share(notice(name, "en", limit=MAX_CHARS)) == 0
    assert "1,000" in notice("cut", "en", limit=1000)


@pytest.mark.parametrize("body", [
    b"{not json", b"", b"\xff\xfe", b"[]", b'"hi"', b'{"message": "hi"}', b'{"sender": "", "message": "hi"}',
    b'{"sender": 7, "message": "hi"}', b'{"sender": "a"}', b'{"sender": "a", "message": 7}',
    b'{"sender": "a", "message": ["hi"]}', b'{"sender": "a", "message": null}',
    b'{"sender": "a", "message": "hi", "metadata": "x"}',
])
def test_rest_bodies_that_are_not_messages_are_refused(body):
    with pytest.raises(BadRequest):
        parse_body(body)


@pytest.mark.parametrize("body", [
    b"{not json", b"[]", b'{"tracker": {"sender_id": "a"}}', b'{"next_action": 7, "tracker": {}}',
    b'{"next_action": "action_answer_event"}', b'{"next_action": "action_answer_event", "tracker": []}',
    b'{"next_action": "action_answer_event", "tracker": {"sender_id": 1}}',
    b'{"next_action": "action_answer_event", "tracker": {"sender_id": "a", "events": {}}}',
    b'{"next_action": "action_answer_event", "tracker": {"sender_id": "a", "slots": []}}',
    b'{"next_action": "action_answer_event", "tracker": {"sender_id": "a"}, "domain": 1}',
])
def test_action_calls_with_wrong_types_are_refused(body):
    with pytest.raises(BadActionCall):
        check_action_call(body)


# --- end to end -----------------------------------------------------------------------------

_chats = itertools.count(7000)


@pytest.fixture(scope="module")
def guarded(model_path, tmp_path_factory):
    """The action server and Rasa with REST, socket.io and Telegram (to the stand-in)."""
    with telegram_servers(model_path, tmp_path_factory.mktemp("bad_input"), TELEGRAM_SECRET_TOKEN=SECRET,
                          CHANNEL_RATE_LIMIT_MESSAGES=str(RATE_LIMIT), CHANNEL_RATE_LIMIT_SECONDS="60") as running:
        yield running


def rest(servers: Servers, text, sender: str | None = None) -> list[dict]:
    return servers.ask(text, sender=sender or uuid.uuid4().hex)


def texts(answers: list[dict]) -> list[str]:
    return [answer.get("text", "") for answer in answers]


def assert_alive(servers: Servers) -> None:
    """Both processes run and answer a real question normally."""
    for name in ("actions", "rasa"):
        assert servers.processes[name].poll() is None, f"{name} died"
    answers = rest(servers, "where is the event?")
    assert any("Faber Box" in text for text in texts(answers)), answers
    assert requests.get(f"http://127.0.0.1:{servers.action_port}/health", timeout=10).status_code == 200


def user_messages(servers: Servers, sender: str) -> list[str]:
    """The user messages stored for ``sender`` (the texts the model was run on)."""
    with sqlite3.connect(servers.workdir / "tracker.db") as connection:
        rows = connection.execute(
            "select data from events where sender_id = ? and type_name = 'user' order by id",
            (sender,)).fetchall()
    return [json.loads(data)["text"] for (data,) in rows]


def user_metadata(servers: Servers, sender: str) -> list[dict]:
    with sqlite3.connect(servers.workdir / "tracker.db") as connection:
        rows = connection.execute(
            "select data from events where sender_id = ? and type_name = 'user' order by id",
            (sender,)).fetchall()
    return [json.loads(data).get("metadata") or {} for (data,) in rows]


@pytest.mark.e2e
@pytest.mark.parametrize("text, language", [("", "ka"), ("   \n\t ", "ka"), ("\x00\u200b", "ka")],
                         ids=["empty", "whitespace", "invisible"])
def test_an_empty_message_gets_what_the_assistant_can_help_with(guarded, text, language):
    servers, _ = guarded
    sender = uuid.uuid4().hex
    (answer,) = rest(servers, text, sender)
    assert answer["text"].startswith(notice("empty", language))
    assert variation("utter_help", language)["text"] in answer["text"]
    assert [b["payload"] for b in answer["buttons"]] == \
        [b["payload"] for b in variation("utter_help", language)["buttons"]]
    assert user_messages(servers, sender) == [], "an empty message is not a turn"


@pytest.mark.e2e
def test_an_empty_message_is_answered_in_the_conversations_language(guarded):
    servers, _ = guarded
    sender = uuid.uuid4().hex
    rest(servers, "what is open government?", sender)
    (answer,) = rest(servers, "  ", sender)
    assert answer["text"].startswith(notice("empty", "en"))
    assert variation("utter_help", "en")["text"] in answer["text"]


@pytest.mark.e2e
@pytest.mark.parametrize("text, language", [
    ("where is the event? " + "please " * 15_000, "en"),
    ("სად ტარდება ღონისძიება? " + "ძალიან " * 15_000, "ka"),
    ("sad tardeba gonisdzieba? " + "dzalian " * 13_000, "ka"),
], ids=["english", "georgian", "translit"])
def test_a_100000_character_message_is_answered_quickly_and_says_it_was_cut(guarded, text, language):
    servers, _ = guarded
    text = text[:100_000]
    assert len(text) == 100_000
    sender = uuid.uuid4().hex
    started = time.monotonic()
    answers = rest(servers, text, sender)
    elapsed = time.monotonic() - started
    assert elapsed < 10, f"took {elapsed:.1f} s"
    # the notice first, then the model's answer to the beginning, both in the user's language
    assert answers[0]["text"] == notice("cut", language, limit=MAX_CHARS)
    assert len(answers) >= 2 and all(answer.get("text") for answer in answers[1:])
    share = georgian_share(" ".join(texts(answers[1:])))
    assert share > 0.3 if language == "ka" else share < 0.1, answers
    (stored,) = user_messages(servers, sender)
    assert stored == normalise(text).text and len(stored) <= MAX_CHARS
    (metadata,) = user_metadata(servers, sender)
    assert metadata["input"] == {"cut": True, "original_chars": 100_000, "kept_chars": len(stored)}
    assert_alive(servers)


@pytest.mark.e2e
def test_a_short_message_is_not_marked_and_a_client_cannot_mark_it(guarded):
    servers, _ = guarded
    sender = uuid.uuid4().hex
    answers = requests.post(f"{servers.rasa_url}/webhooks/rest/webhook", timeout=60, json={
        "sender": sender, "message": "where is the event?", "metadata": {"input": {"cut": True}, "k": 1}}).json()
    assert notice("cut", "en", limit=MAX_CHARS) not in texts(answers)
    (metadata,) = user_metadata(servers, sender)
    assert "input" not in metadata and metadata["k"] == 1


@pytest.mark.e2e
@pytest.mark.parametrize("text, stored, fact", [
    ("where\x00 is\nthe\tevent?\x07", "where is the event?", "Faber Box"),
    # a terminal's colour codes go as a whole, not only their ESC
    ("\x1b[31mსად ტარდება ღონისძიება?\x1b[0m", "სად ტარდება ღონისძიება?", "Faber Box"),
    (f"where is the event? {EMOJI}", f"where is the event? {EMOJI}", "Faber Box"),
    (f"{RTL} where is the event?", f"{RTL} where is the event?", "Faber Box"),
    ("AVATAR-ის ღონისძიება სად არის? Schio 🎉", "AVATAR-ის ღონისძიება სად არის? Schio 🎉", "Faber Box"),
], ids=["controls", "escape-codes", "emoji", "rtl", "mixed-scripts"])
def test_control_characters_emoji_rtl_and_mixed_scripts(guarded, text, stored, fact):
    servers, _ = guarded
    sender = uuid.uuid4().hex
    answers = rest(servers, text, sender)
    assert answers and fact in " ".join(texts(answers)), answers
    assert user_messages(servers, sender) == [stored]


@pytest.mark.e2e
@pytest.mark.parametrize("text", [EMOJI, RTL, "👍"], ids=["emoji", "rtl", "thumbs-up"])
def test_messages_without_a_language_are_answered_not_dropped(guarded, text):
    servers, _ = guarded
    sender = uuid.uuid4().hex
    answers = rest(servers, text, sender)
    assert answers and all(answer.get("text") for answer in answers)
    assert user_messages(servers, sender) == [text]


@pytest.mark.e2e
@pytest.mark.parametrize("body", [
    b"{not json", b"", b"\xff\xfe\x00", b"[1, 2]", b'"hi"', b"null", b'{"message": "hi"}',
    b'{"sender": "a"}', b'{"sender": "a", "message": 42}', b'{"sender": ["a"], "message": "hi"}',
    b'{"sender": "a", "message": {"text": "hi"}}', b'{"sender": "a", "message": "hi", "metadata": [1]}',
])
def test_rest_malformed_bodies_get_400(guarded, body):
    servers, _ = guarded
    answer = requests.post(f"{servers.rasa_url}/webhooks/rest/webhook", data=body, timeout=30,
                           headers={"Content-Type": "application/json"})
    assert answer.status_code == 400, answer.text
    assert "error" in answer.json()
    assert servers.processes["rasa"].poll() is None
    assert requests.get(f"{servers.rasa_url}/webhooks/rest/", timeout=10).json() == {"status": "ok"}


def announce_big_body(port: int, path: str, length: int, headers: str = "") -> bytes:
    """Sends a request that announces ``length`` bytes (and only a few of them) and
    returns the server's answer: a 100 MB body need not be sent to see it refused."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n{headers}\r\n".encode() + b'{"sender": "x", ')
        chunks = []
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks):
                break
        return b"".join(chunks)


def secret_headers() -> dict:
    return {"X-Telegram-Bot-Api-Secret-Token": SECRET}


@pytest.mark.e2e
@pytest.mark.parametrize("path", ["/webhooks/rest/webhook", "/webhooks/telegram/webhook",
                                  "/socket.io/?EIO=4&transport=polling"])
def test_rasa_refuses_an_oversized_body_with_413(guarded, path):
    servers, _ = guarded
    answer = announce_big_body(servers.rasa_port, path, 100 * 1024 * 1024,
                               f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n")
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    # a body just over the limit, really sent
    sent = requests.post(f"{servers.rasa_url}{path}", data=b"x" * (RASA_MAX_BYTES + 1),
                         headers=secret_headers(), timeout=60)
    assert sent.status_code == 413
    assert_alive(servers)


@pytest.mark.e2e
def test_a_body_under_the_limit_is_read(guarded):
    """The limit is not too tight: the longest message, in escaped JSON, fits easily."""
    servers, _ = guarded
    body = json.dumps({"sender": uuid.uuid4().hex, "message": "ა" * 150_000}).encode()  # \\uXXXX
    assert len(body) > 900_000 and len(body) < RASA_MAX_BYTES
    answer = requests.post(f"{servers.rasa_url}/webhooks/rest/webhook", data=body, timeout=60)
    assert answer.status_code == 200 and answer.json()[0]["text"] == notice("cut", "ka", limit=MAX_CHARS)


# --- the action server's /webhook ----------------------------------------------------------

def action_call(**changes) -> dict:
    call = {"next_action": "action_answer_event", "sender_id": "bad-input", "version": "3.6.21",
            "tracker": {"sender_id": "bad-input", "slots": {}, "latest_message": {"intent": {
                "name": "ask_event_venue"}, "text": "where is the event?"}, "events": [],
                "paused": False, "followup_action": None, "active_loop": {},
                "latest_action_name": "action_listen"},
            "domain": {}}
    call.update(changes)
    return call


@pytest.mark.e2e
@pytest.mark.parametrize("body, status", [
    (b"{not json", 400), (b"", 400), (b"\xff", 400), (b"[]", 400), (b"null", 400),
    (b'{"next_action": ["x"], "tracker": {"sender_id": "a"}}', 400),
    (b'{"next_action": "action_answer_event"}', 400),
    (b'{"next_action": "action_answer_event", "tracker": "x"}', 400),
    (b'{"next_action": "action_answer_event", "tracker": {"sender_id": "a", "events": 5}}', 400),
    (b'{"next_action": "no_such_action", "tracker": {"sender_id": "a"}}', 404),
])
def test_action_server_malformed_bodies_get_4xx(guarded, body, status):
    servers, _ = guarded
    url = f"http://127.0.0.1:{servers.action_port}/webhook"
    answer = requests.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=30)
    assert answer.status_code == status, answer.text
    assert "error" in answer.json()
    assert servers.processes["actions"].poll() is None
    ok = requests.post(url, json=action_call(), timeout=30)
    assert ok.status_code == 200 and ok.json()["responses"], ok.text


@pytest.mark.e2e
def test_action_server_refuses_oversized_and_bomb_bodies(guarded):
    servers, _ = guarded
    answer = announce_big_body(servers.action_port, "/webhook", 100 * 1024 * 1024)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    url = f"http://127.0.0.1:{servers.action_port}/webhook"
    sent = requests.post(url, data=b" " * (ACTIONS_MAX_BYTES + 1), timeout=60)
    assert sent.status_code == 413
    bomb = zlib.compress(b" " * (ACTIONS_MAX_BYTES * 4), 9)  # 64 MB of spaces in ~64 kB
    assert len(bomb) < 200_000
    inflated = requests.post(url, data=bomb, headers={"Content-Encoding": "deflate"}, timeout=60)
    assert inflated.status_code == 413
    broken = requests.post(url, data=b"not deflate", headers={"Content-Encoding": "deflate"}, timeout=60)
    assert broken.status_code == 400
    compressed = requests.post(url, data=zlib.compress(json.dumps(action_call()).encode()),
                               headers={"Content-Encoding": "deflate"}, timeout=60)
    assert compressed.status_code == 200 and compressed.json()["responses"]
    assert_alive(servers)


# --- Telegram ----------------------------------------------------------------------------------

def telegram(servers: Servers, body, headers: dict | None = None) -> requests.Response:
    url = f"{servers.rasa_url}/webhooks/telegram/webhook"
    headers = {"Content-Type": "application/json", **(secret_headers() if headers is None else headers)}
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return requests.post(url, data=data, headers=headers, timeout=60)


@pytest.mark.e2e
def test_telegram_webhook_is_set_with_the_configured_secret(guarded):
    _, stub = guarded
    (call,) = stub.calls("setWebhook")
    assert call["params"]["secret_token"] == SECRET


@pytest.mark.e2e
@pytest.mark.parametrize("headers", [{}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
                                     {"X-Telegram-Bot-Api-Secret-Token": SECRET + "x"}])
def test_telegram_updates_without_the_secret_get_403_and_are_not_read(guarded, headers):
    servers, stub = guarded
    chat = next(_chats)
    stub.clear()
    answer = telegram(servers, update(message=message(chat, text="where is the event?")), headers)
    assert answer.status_code == 403
    assert stub.calls() == []
    assert user_messages(servers, str(chat)) == []


@pytest.mark.e2e
@pytest.mark.parametrize("body", [b"{not json", b"", b"[1]", b'{"update_id": 1, "message": {"text": 5}}'])
def test_telegram_malformed_updates_get_400(guarded, body):
    servers, stub = guarded
    assert telegram(servers, body).status_code == 400
    assert_alive(servers)


@pytest.mark.e2e
def test_telegram_long_and_control_character_messages(guarded):
    servers, stub = guarded
    chat = next(_chats)
    stub.clear()
    long_text = ("სად ტარდება ღონისძიება? " + "ძალიან " * 20_000)[:100_000]
    assert telegram(servers, update(message=message(chat, text=long_text))).status_code == 200
    sent = [call["params"]["text"] for call in stub.calls("sendMessage", chat_id=chat)]
    assert sent[0] == notice("cut", "ka", limit=MAX_CHARS)
    assert len(sent) >= 2 and georgian_share(sent[1]) > 0.3
    stub.clear()
    assert telegram(servers, update(message=message(chat, text="\x00\x01\u200b"))).status_code == 200
    (call,) = stub.calls("sendMessage", chat_id=chat)
    assert call["params"]["text"].startswith(notice("empty", "ka"))


# --- socket.io -------------------------------------------------------------------------------

class Widget:
    """A socket.io client speaking the widget's protocol (polling transport)."""

    def __init__(self, servers: Servers) -> None:
        self.client = socketio.Client()
        self.answers: list[dict] = []
        self.session_id = uuid.uuid4().hex
        self.client.on("bot_uttered", self.answers.append)
        confirmed = []
        self.client.on("session_confirm", confirmed.append)
        self.client.connect(servers.rasa_url, transports=["polling"], socketio_path="socket.io")
        self.client.emit("session_request", {"session_id": self.session_id})
        self.wait(lambda: confirmed)

    def wait(self, done, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            assert time.monotonic() < deadline, f"no answer: {self.answers}"
            time.sleep(0.1)

    def say(self, data, count: int = 1) -> list[dict]:
        self.answers.clear()
        self.client.emit("user_uttered", data)
        self.wait(lambda: len(self.answers) >= count)
        time.sleep(0.5)  # anything more that comes
        return list(self.answers)

    def close(self) -> None:
        self.client.disconnect()


@pytest.mark.e2e
def test_socketio_empty_long_and_wrong_types(guarded):
    servers, _ = guarded
    widget = Widget(servers)
    try:
        # Rasa's socket.io output sends each paragraph as a message: the notice, then help
        empty = widget.say({"message": "  ", "session_id": widget.session_id}, count=2)
        assert empty[0]["text"] == notice("empty", "ka")
        assert empty[1]["text"] == variation("utter_help", "ka")["text"] and empty[1]["quick_replies"]
        wrong = widget.say({"message": 42, "session_id": widget.session_id}, count=2)
        assert wrong[0]["text"] == notice("empty", "ka")
        long = widget.say({"message": "where is the event? " * 5_000,
                           "session_id": widget.session_id}, count=2)
        assert long[0]["text"] == notice("cut", "en", limit=MAX_CHARS)
        assert "Faber Box" in long[1]["text"]
        widget.client.emit("user_uttered", "not an object")
        widget.client.emit("user_uttered", {"message": "hi"})  # no session_id: ignored
        (venue,) = widget.say({"message": f"{RTL} where is the event? {EMOJI}",
                               "session_id": widget.session_id})
        assert "Faber Box" in venue["text"]
    finally:
        widget.close()
    assert_alive(servers)


# --- the rate limit ----------------------------------------------------------------------------

@pytest.mark.e2e
def test_rest_rate_limit_answers_slow_down_without_the_model(guarded):
    servers, _ = guarded
    sender, other = uuid.uuid4().hex, uuid.uuid4().hex
    for _ in range(RATE_LIMIT):
        assert "Faber Box" in " ".join(texts(rest(servers, "where is the event?", sender)))
    started = time.monotonic()
    for text in ("where is the event?", "სად ტარდება ღონისძიება?"):
        assert texts(rest(servers, text, sender)) == [notice("slow_down", "en")]
    assert time.monotonic() - started < 5
    assert len(user_messages(servers, sender)) == RATE_LIMIT, "the model ran on a limited message"
    # other conversations are not affected
    assert "Faber Box" in " ".join(texts(rest(servers, "where is the event?", other)))


@pytest.mark.e2e
def test_the_rate_limit_answers_in_georgian_for_a_georgian_conversation(guarded):
    servers, _ = guarded
    sender = uuid.uuid4().hex
    for _ in range(RATE_LIMIT):
        rest(servers, "  ", sender)  # empty messages count too: cheap, but still a flood
    rest_answer = texts(rest(servers, "სად ტარდება ღონისძიება?", sender))
    assert rest_answer == [notice("slow_down", "ka")]


@pytest.mark.e2e
def test_telegram_rate_limit(guarded):
    servers, stub = guarded
    chat = next(_chats)
    for _ in range(RATE_LIMIT):
        telegram(servers, update(message=message(chat, text="what is open government?")))
    stub.clear()
    assert telegram(servers, update(message=message(chat, text="where is the event?"))).status_code == 200
    assert [c["params"]["text"] for c in stub.calls("sendMessage", chat_id=chat)] == \
        [notice("slow_down", "en")]
    assert len(user_messages(servers, str(chat))) == RATE_LIMIT
