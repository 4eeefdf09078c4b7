"""The action server stops: Rasa answers with a fallback in the user's language instead
of silence (channels/guard.py), and once the action server is back the next conversation
works. Runs its own servers, since it stops one of them."""

from __future__ import annotations

import itertools
import time
import uuid

import pytest
import requests

from channels.notices import notice
from components.georgian import georgian_share
from tests.test_telegram import message, telegram_servers, update

pytestmark = pytest.mark.e2e

SECRET = "faults-secret"
_chats = itertools.count(9000)

# questions whose answers come from the action server (action_answer_event)
EVENT_QUESTIONS = {
    "ka": ["როდის ტარდება ღონისძიება?", "rodis aris konferencia shioshi"],
    "en": ["When does the event take place?"],
}


@pytest.fixture(scope="module")
def faulty(model_path, tmp_path_factory):
    with telegram_servers(model_path, tmp_path_factory.mktemp("faults"), TELEGRAM_SECRET_TOKEN=SECRET) as running:
        yield running


def texts(answers: list[dict]) -> str:
    return " ".join(answer.get("text", "") for answer in answers)


def answers_the_date(answers: list[dict], language: str) -> bool:
    text = texts(answers)
    month = "მაის" if language == "ka" else "May"
    return "24" in text and month in text and notice("unavailable", language) not in text


def test_with_the_action_server_stopped_the_answer_is_a_fallback_then_it_recovers(faulty):
    servers, stub = faulty
    for language, questions in EVENT_QUESTIONS.items():
        assert answers_the_date(servers.ask(questions[0]), language), "not working before the fault"

    servers.stop("actions")
    try:
        down_since = time.monotonic()
        for language, questions in EVENT_QUESTIONS.items():
            for question in questions:
                sender = uuid.uuid4().hex
                started = time.monotonic()
                answers = servers.ask(question, sender)
                assert time.monotonic() - started < 10
                assert [a["text"] for a in answers] == [notice("unavailable", language)], (question, answers)
                assert (georgian_share(answers[0]["text"]) > 0.5) == (language == "ka")
        # an English conversation that asks in English keeps English; its answers that
        # need no action server still come
        sender = uuid.uuid4().hex
        assert "OECD" in texts(servers.ask("What is open government?", sender))
        assert [a["text"] for a in servers.ask("when is the event?", sender)] == [notice("unavailable", "en")]
        # Telegram too
        chat = next(_chats)
        stub.clear()
        answer = requests.post(f"{servers.rasa_url}/webhooks/telegram/webhook", timeout=60,
                               headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                               json=update(message=message(chat, text="როდის ტარდება ღონისძიება?")))
        assert answer.status_code == 200
        assert [c["params"]["text"] for c in stub.calls("sendMessage", chat_id=chat)] == \
            [notice("unavailable", "ka")]
        assert servers.processes["rasa"].poll() is None
        assert time.monotonic() - down_since < 60
    finally:
        servers.start("actions")

    # a new conversation works, and so does the one that got the fallback
    for language, questions in EVENT_QUESTIONS.items():
        assert answers_the_date(servers.ask(questions[0]), language)
    assert answers_the_date(servers.ask("when is the event?", sender), "en")


def test_a_failing_turn_does_not_hide_the_cut_notice(faulty):
    """A long message while the action server is down: the notice, then the fallback."""
    servers, _ = faulty
    servers.stop("actions")
    try:
        answers = servers.ask("When does the event take place? " * 4_000)
        assert [a["text"] for a in answers] == [notice("cut", "en", limit=1000), notice("unavailable", "en")]
    finally:
        servers.start("actions")
    assert answers_the_date(servers.ask("When does the event take place?"), "en")
