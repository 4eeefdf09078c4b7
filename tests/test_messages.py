"""Leaving a message for a person (actions/messages.py, actions/mail_client.py): sent by
real SMTP to a real server on 127.0.0.1 (tests/conftest.py's Mailbox), once; kept when
the server is down, and sent on the next try; never where no address is set."""

from __future__ import annotations

import json
import socket
import sqlite3
import time
import uuid

import pytest

from actions import mail_client
from components.settings import Settings, SettingsError
from tests.conftest import MESSAGES_TO, Mailbox
from tests.test_registration_conversation import payloads, text_of


def settings_for(port: int, timeout: str = "3") -> Settings:
    return Settings.from_env({"MESSAGES_TO": MESSAGES_TO, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port),
                              "SMTP_TIMEOUT": timeout})


def test_the_mail_reaches_the_server_with_the_citizens_address_to_reply_to():
    box = Mailbox()
    box.start()
    try:
        settings = settings_for(box.port)
        mail_client.send(settings, mail_client.compose(settings, "ბათუმში პარკინგი სად არის?", "nino@example.org",
                                                       "batumi, ka", "key123"))
    finally:
        box.stop()
    [mail] = box.received
    assert mail["To"] == MESSAGES_TO and mail["Reply-To"] == "nino@example.org"
    assert mail["Message-ID"] == "<key123@localhost>"
    assert "ბათუმში პარკინგი სად არის?" in mail.get_content()


def test_no_server_is_a_mail_error_not_a_crash():
    settings = settings_for(Mailbox().port)  # a free port: nothing listens
    with pytest.raises(mail_client.MailError):
        mail_client.send(settings, mail_client.compose(settings, "hello", "a@example.org", "x", "k"))


def test_a_server_that_never_answers_is_given_up_after_the_timeout():
    with socket.socket() as silent:  # accepts connections (the backlog) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        settings = settings_for(silent.getsockname()[1], timeout="1")
        started = time.monotonic()
        with pytest.raises(mail_client.MailError):
            mail_client.send(settings, mail_client.compose(settings, "hello", "a@example.org", "x", "k"))
        assert time.monotonic() - started < 10


@pytest.mark.parametrize("name, value", [("MESSAGES_TO", "not an address"), ("SMTP_PORT", "twenty-five"),
                                         ("SMTP_STARTTLS", "maybe")])
def test_a_bad_mail_setting_stops_with_its_name(name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def run_action(action, slots=None, intent="leave_message"):
    import asyncio
    import inspect

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    latest = {"text": "/" + intent, "intent": {"name": intent, "confidence": 1.0}, "entities": [], "language": "en"}
    events = [{"event": "user", "text": latest["text"], "parse_data": latest}]
    tracker = Tracker("citizen", slots or {}, latest, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    result = action.run(dispatcher, tracker, {})
    result = asyncio.run(result) if inspect.isawaitable(result) else result
    return [m["response"] for m in dispatcher.messages], result


def test_without_an_address_nothing_is_asked_offered_or_sent(monkeypatch):
    import asyncio

    from actions.messages import ActionSendMessage, ValidateMessageForm
    from actions.places import ActionContact

    monkeypatch.delenv("MESSAGES_TO", raising=False)
    required = asyncio.run(ValidateMessageForm().required_slots(
        ["message_text", "message_email", "message_consent"], None, None, {}))  # type: ignore[arg-type]
    assert required == []
    said, _ = run_action(ActionSendMessage(), {"message_text": "hello", "message_email": "a@example.org",
                                               "message_consent": True})
    assert said == ["utter_message_unavailable"]
    said, _ = run_action(ActionContact(), intent="ask_contact")
    assert "utter_message_offer" not in said
    monkeypatch.setenv("MESSAGES_TO", MESSAGES_TO)
    said, _ = run_action(ActionContact(), intent="ask_contact")
    assert "utter_message_offer" in said


# --- through Rasa and the action server ---------------------------------------------------

def slot_values(servers, sender: str, name: str) -> list:
    """Every value the conversation's slot `name` was set to, in order (the tracker store)."""
    with sqlite3.connect(servers.workdir / "tracker.db") as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'slot' ORDER BY id",
                          (sender,)).fetchall()
    return [event["value"] for event in map(json.loads, (row[0] for row in rows)) if event.get("name") == name]


@pytest.mark.e2e
def test_a_message_typed_in_latin_georgian_is_sent_once_and_not_kept(servers, mailbox):
    sender, before = f"message-{uuid.uuid4().hex}", len(mailbox.received)
    contact = servers.ask("operatortan damakavshire", sender=sender, metadata={"municipality": "thiene"})
    assert "/leave_message" in payloads(contact), contact
    asked = servers.ask("/leave_message", sender=sender)
    assert "დაწერეთ შეტყობინება" in text_of(asked), asked
    # the message is any text, a question included: it is not answered, it is passed on
    assert "ელფოსტაზე" in text_of(servers.ask("sad aris parkingi meriastan? vinmem damirekos", sender=sender))
    consent = servers.ask("nino.b@example.org", sender=sender)
    assert MESSAGES_TO in text_of(consent) and "sad aris parkingi meriastan?" in text_of(consent), consent
    assert payloads(consent) == ["/affirm", "/deny"]
    sent = servers.ask("/affirm", sender=sender)
    assert "გაიგზავნა" in text_of(sent) and "nino.b@example.org" in text_of(sent), sent
    [mail] = mailbox.received[before:]
    assert mail["Reply-To"] == "nino.b@example.org" and mail["To"] == MESSAGES_TO
    assert "sad aris parkingi meriastan? vinmem damirekos" in mail.get_content()
    assert "thiene" in mail["Subject"]
    # a second "yes" sends nothing more, and the message and address are no longer kept
    servers.ask("/affirm", sender=sender)
    assert len(mailbox.received) == before + 1
    assert slot_values(servers, sender, "message_text")[-1] is None
    assert slot_values(servers, sender, "message_email")[-1] is None


@pytest.mark.e2e
def test_with_the_mail_server_down_the_message_is_kept_and_sent_on_the_next_try(servers, mailbox):
    sender, before = f"message-{uuid.uuid4().hex}", len(mailbox.received)
    servers.ask("I'd like to leave a message", sender=sender)
    servers.ask("Is there parking near the venue for a wheelchair user?", sender=sender)
    servers.ask("giorgi@example.org", sender=sender)
    mailbox.stop()
    try:
        failed = servers.ask("/affirm", sender=sender)
    finally:
        mailbox.start()
    assert "couldn't send it" in text_of(failed) and "/leave_message" in payloads(failed), failed
    assert len(mailbox.received) == before
    again = servers.ask("/leave_message", sender=sender)  # "Try again": only "send it?" is asked
    assert "Is there parking near the venue for a wheelchair user?" in text_of(again), again
    assert "giorgi@example.org" in text_of(again)
    assert "Sent" in text_of(servers.ask("/affirm", sender=sender))
    [mail] = mailbox.received[before:]
    assert "wheelchair" in mail.get_content() and mail["Reply-To"] == "giorgi@example.org"


@pytest.mark.e2e
def test_no_or_stop_sends_nothing(servers, mailbox):
    before = len(mailbox.received)
    for last in ("/deny", "stop"):
        sender = f"message-{uuid.uuid4().hex}"
        servers.ask("can I leave a message?", sender=sender)
        servers.ask("please call me back", sender=sender)
        if last == "/deny":
            servers.ask("lia@example.org", sender=sender)
        answer = servers.ask(last, sender=sender)
        assert "nothing was sent" in text_of(answer), (last, answer)
    assert len(mailbox.received) == before


@pytest.mark.e2e
def test_an_invalid_address_is_asked_again(servers):
    sender = f"message-{uuid.uuid4().hex}"
    servers.ask("I want to send a message to the team", sender=sender)
    servers.ask("when does the desk open on Saturday?", sender=sender)
    answer = servers.ask("my email is nino at example", sender=sender)
    assert "doesn't look right" in text_of(answer), answer


@pytest.mark.e2e
def test_a_comment_on_a_rating_is_kept_masked_and_shown_by_make_missed(servers):
    import subprocess
    import sys

    from scripts.missed_messages import conversation_id
    from tests.conftest import PROJECT_DIR

    sender = f"comment-{uuid.uuid4().hex}"
    servers.ask("where is the event?", sender=sender)
    rated = servers.ask('/feedback{"rating": "down"}', sender=sender)
    assert "/add_comment" in payloads(rated), rated
    assert "personal details" in text_of(servers.ask("/add_comment", sender=sender))
    saved = servers.ask("I asked about parking, not the venue. Call me on +39 0445 123456", sender=sender)
    assert "kept your comment" in text_of(saved), saved
    [comment] = [v for v in slot_values(servers, sender, "feedback_comment") if v]
    assert comment["rating"] == "down" and "parking" in comment["comment"]
    assert "123456" not in comment["comment"]
    url = f"sqlite:///{servers.workdir / 'tracker.db'}"
    missed = subprocess.run([sys.executable, "-m", "scripts.missed_messages", "--url", url, "--format", "json",
                             "--limit", "1000"], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120)
    assert missed.returncode == 0, missed.stderr
    [shown] = [m for m in json.loads(missed.stdout) if m["conversation"] == conversation_id(sender)]
    assert shown["text"] == "where is the event?" and "rated down" in shown["reason"]
    assert "parking, not the venue" in shown["reason"]
    assert "123456" not in missed.stdout
