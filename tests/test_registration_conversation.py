"""Registering in conversation, end to end: the real assistant, action server and
registration service, over REST, ending with the row in the service's database."""

from __future__ import annotations

import uuid

import pytest

from components.georgian import georgian_share

pytestmark = pytest.mark.e2e


def text_of(answers):
    return " ".join(a.get("text", "") for a in answers)


def payloads(answers):
    return [b["payload"] for a in answers for b in a.get("buttons", [])]


def unique_email(prefix="citizen"):
    return f"{prefix}.{uuid.uuid4().hex[:8]}@example.org"


class Conversation:
    def __init__(self, servers):
        self.servers = servers
        self.sender = uuid.uuid4().hex

    def say(self, text):
        return self.servers.ask(text, self.sender)


def named(servers, opening, name):
    """A conversation that asked to register and gave its name: the form asks for the email."""
    conversation = Conversation(servers)
    conversation.say(opening)
    conversation.say(name)
    return conversation


def register(conversation, opening, name, email, affiliation=None):
    """Goes through the form; returns the answers to the final confirmation."""
    asked_name = conversation.say(opening)
    assert asked_name, "no answer to the request to register"
    conversation.say(name)
    asked_affiliation = conversation.say(email)
    assert "/deny" in payloads(asked_affiliation), "the optional question offers Skip"
    asked_consent = conversation.say(affiliation) if affiliation else conversation.say("/deny")
    assert {"/affirm", "/deny"} <= set(payloads(asked_consent))
    summary = conversation.say("/affirm")
    assert name in text_of(summary) and email in text_of(summary)
    for button in payloads(summary):
        assert len(button.encode()) <= 64
    return conversation.say("/affirm")


@pytest.mark.parametrize("opening, name, georgian", [
    ("მინდა დავრეგისტრირდე ღონისძიებაზე", "ნინო ბერიძე", True),
    ("minda davregistrirde gonisdziebaze", "Giorgi Kapanadze", True),
    ("I want to register for the event", "Anna Rossi", False),
])
def test_registration_ends_with_a_code_and_one_row(servers, opening, name, georgian):
    email = unique_email()
    conversation = Conversation(servers)
    answers = register(conversation, opening, name, email, affiliation="Schio municipality")
    rows = servers.registrations(email=email)
    assert len(rows) == 1
    row = rows[0]
    assert row["full_name"] == name and row["status"] == "confirmed"
    assert row["language"] == ("ka" if georgian else "en")
    assert row["confirmation_code"] in text_of(answers)
    share = georgian_share(text_of(answers))
    assert share > 0.3 if georgian else share < 0.1


def test_a_question_in_the_middle_is_answered_and_the_form_goes_on(servers):
    conversation = named(servers, "I'd like to sign up for the event", "Maria Bianchi")
    answer = conversation.say("wait, when is the event?")
    assert "May" in text_of(answer), "the question was not answered"
    assert "email" in text_of(answer).lower(), "the form did not ask for the email again"
    email = unique_email("maria")
    conversation.say(email)
    conversation.say("/deny")
    conversation.say("/affirm")
    conversation.say("/affirm")
    assert len(servers.registrations(email=email)) == 1


def test_an_organisation_named_after_a_topic_is_taken_as_the_answer(servers):
    """"Open Data Institute Vicenza" reads as a question about open data out of context;
    where the form asks for the organisation it is the answer. A real question there is
    still answered, and the form asks again."""
    conversation = named(servers, "I want to register for the event", "Chiara Dal Santo")
    email = unique_email("chiara")
    conversation.say(email)
    answer = conversation.say("where is the event held?")
    assert "Schio" in text_of(answer), "the question at the organisation step was not answered"
    assert "/deny" in payloads(answer), "the organisation was not asked again after the answer"
    asked_consent = conversation.say("Open Data Institute Vicenza")
    assert {"/affirm", "/deny"} <= set(payloads(asked_consent)), text_of(asked_consent)
    summary = conversation.say("/affirm")
    assert "Open Data Institute Vicenza" in text_of(summary)
    conversation.say("/affirm")
    assert [r["organisation"] for r in servers.registrations(email=email)] == ["Open Data Institute Vicenza"]


def test_an_invalid_email_is_asked_again_and_nothing_is_lost(servers):
    conversation = named(servers, "register me please", "Luca Verdi")
    retry = conversation.say("luca.verdi@gmail")
    assert "example.com" in text_of(retry), "the invalid-email answer should show an example"
    email = unique_email("luca")
    conversation.say(email)
    conversation.say("/deny")
    summary = conversation.say("/affirm")
    assert "Luca Verdi" in text_of(summary), "the name typed before the bad email was lost"
    conversation.say("/affirm")
    assert [r["full_name"] for r in servers.registrations(email=email)] == ["Luca Verdi"]


def test_the_same_email_twice_is_already_registered(servers):
    email = unique_email("twice")
    register(Conversation(servers), "I want to register", "Sara Neri", email)
    second = register(Conversation(servers), "I want to register", "Sara Neri", email)
    assert "already" in text_of(second).lower()
    assert len(servers.registrations(email=email)) == 1


def test_stop_ends_the_form_and_sends_nothing(servers):
    conversation = named(servers, "I want to register", "Paolo Gialli")
    stopped = conversation.say("stop, I changed my mind")
    assert "nothing" in text_of(stopped).lower()
    assert conversation.say("/ask_event_venue"), "the conversation goes on after stopping"


def test_check_and_cancel_by_code_and_email(servers):
    email = unique_email("cancel")
    answers = register(Conversation(servers), "I want to register", "Elena Blu", email)
    code = servers.registrations(email=email)[0]["confirmation_code"]
    assert code in text_of(answers)
    checking = Conversation(servers)
    checking.say("is my registration confirmed?")
    checking.say(code.lower())
    status = checking.say(email)
    assert code in text_of(status) and "confirm" in text_of(status).lower()
    cancelling = Conversation(servers)
    cancelling.say("please cancel my registration")
    cancelling.say(code)
    asked = cancelling.say(email)
    assert {"/affirm", "/deny"} <= set(payloads(asked))
    cancelling.say("/affirm")
    assert servers.registrations(email=email)[0]["status"] == "cancelled"


def test_backend_down_keeps_the_answers_and_the_retry_registers_once(servers):
    conversation = Conversation(servers)
    email = unique_email("outage")
    conversation.say("I want to register")
    conversation.say("Marco Viola")
    conversation.say(email)
    conversation.say("/deny")
    conversation.say("/affirm")
    servers.stop("backend")
    try:
        failed = conversation.say("/affirm")
        assert "/register" in payloads(failed), "no way to try again was offered"
    finally:
        servers.start("backend")
    summary = conversation.say("/register")
    assert "Marco Viola" in text_of(summary) and email in text_of(summary), "the answers were lost"
    done = conversation.say("/affirm")
    rows = servers.registrations(email=email)
    assert len(rows) == 1 and rows[0]["confirmation_code"] in text_of(done)


def test_a_restart_of_rasa_mid_registration_resumes_from_the_tracker_store(servers):
    conversation = Conversation(servers)
    email = unique_email("restart")
    conversation.say("მინდა დავრეგისტრირდე")
    conversation.say("ნინო ბერიძე")
    servers.stop("rasa")
    servers.start("rasa")
    # the form goes on where it was: the e-mail is taken and the optional question follows
    asked_affiliation = conversation.say(email)
    assert "/deny" in payloads(asked_affiliation), text_of(asked_affiliation)
    assert georgian_share(text_of(asked_affiliation)) > 0.3, "the language was lost"
    conversation.say("/deny")
    summary = conversation.say("/affirm")
    assert "ნინო ბერიძე" in text_of(summary) and email in text_of(summary)
    done = conversation.say("/affirm")
    rows = servers.registrations(email=email)
    assert len(rows) == 1 and rows[0]["confirmation_code"] in text_of(done)
