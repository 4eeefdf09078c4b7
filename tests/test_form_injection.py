"""SQL and HTML/script injection in every field of the registration form, through the real
conversation (Rasa, action server, registration service over REST): each attempt gets a
clear answer, either the validator's refusal with its reason, or it is accepted and then
stored verbatim as text (never executed, never escaped on the way), and the servers stay up."""

from __future__ import annotations

import uuid

import pytest
import requests
from rasa.shared.core.domain import Domain

from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.e2e

INJECTIONS = [
    "Robert'); DROP TABLE registrations;--",
    "<script>alert(1)</script>",
    "<b>x</b>",
]
NAME = "Robert Tables"


def variants(response: str) -> set[str]:
    """Every text (both languages) of a response of domain/."""
    return {variant["text"] for variant in Domain.load(str(PROJECT_DIR / "domain")).responses[response]}


def text_of(answers: list[dict]) -> str:
    return "\n".join(a.get("text", "") for a in answers)


def payloads(answers: list[dict]) -> list[str]:
    return [b["payload"] for a in answers for b in a.get("buttons", [])]


class Conversation:
    def __init__(self, servers):
        self.servers, self.sender = servers, uuid.uuid4().hex

    def say(self, text: str, metadata: dict | None = None) -> list[dict]:
        response = requests.post(
            f"{self.servers.rasa_url}/webhooks/rest/webhook", timeout=60,
            json={"sender": self.sender, "message": text, **({"metadata": metadata} if metadata else {})})
        assert response.status_code == 200, response.text
        answers = response.json()
        assert answers, f"no answer to {text!r}"
        return answers


def assert_refused(answers: list[dict], then_asks: str) -> None:
    """The validator's refusal with its reason, then the same question again. Or, when the
    language model takes the text for something else than an answer (out of scope, a
    question), the answer to that, then the same question again: not taken as the answer
    either way (the summary at the end shows what was)."""
    texts = [a.get("text", "") for a in answers]
    assert texts[0].strip(), f"no clear answer: {texts}"
    # the same question again: the form did not move on, so the text was not taken
    assert texts[-1] in variants(then_asks), f"{then_asks} was not asked again: {texts}"


def assert_up(servers) -> None:
    assert requests.get(f"{servers.backend_url}/health", timeout=10).status_code == 200
    assert requests.get(f"{servers.rasa_url}/webhooks/rest/", timeout=10).status_code == 200
    servers.registrations(limit="1")  # the table is still there


@pytest.mark.parametrize("injection", INJECTIONS)
def test_injection_in_every_field_is_refused_or_stored_verbatim(servers, injection):
    email = f"robert'--{uuid.uuid4().hex[:8]}@example.org"  # an apostrophe and -- are valid before the @
    conversation = Conversation(servers)
    conversation.say("I want to register for the event")
    assert_refused(conversation.say(injection), "utter_ask_full_name")
    conversation.say(NAME)
    for typed in (injection, f"{injection}@example.org"):
        assert_refused(conversation.say(typed), "utter_ask_email")
    asked_affiliation = conversation.say(email)
    assert "/deny" in payloads(asked_affiliation), "the municipality/organisation question was not asked"
    # the municipality or organisation: free text, accepted as it is; or, when the model
    # reads it as a question (e.g. "<script>alert(1)</script>" as the principles: "1"), the
    # question is answered and the same optional question asked again, nothing lost
    asked_consent = conversation.say(injection)
    organisation = injection
    if "/affirm" not in payloads(asked_consent):
        assert "/deny" in payloads(asked_consent), f"neither taken nor asked again: {text_of(asked_consent)}"
        asked_consent = conversation.say("/deny")  # skip it
        organisation = None
    assert {"/affirm", "/deny"} <= set(payloads(asked_consent)), text_of(asked_consent)
    summary = conversation.say("/affirm")
    for shown in (NAME, email, organisation or NAME):
        assert shown in text_of(summary), f"{shown!r} is not shown as typed in the summary"
    # the municipality also arrives as metadata of a message (the web widget's page sets it)
    done = conversation.say("/affirm", metadata={"municipality": injection})
    assert_up(servers)

    rows = servers.registrations(email=email)
    assert len(rows) == 1, rows
    row = rows[0]
    assert row["confirmation_code"] in text_of(done)
    assert (row["full_name"], row["email"], row["organisation"], row["municipality"]) == (
        NAME, email, organisation, injection)


@pytest.mark.parametrize("injection", INJECTIONS)
def test_injection_as_a_question_is_answered_and_changes_nothing(servers, injection):
    before = len(servers.registrations(limit="1000"))
    answers = Conversation(servers).say(injection)
    assert text_of(answers).strip(), "no answer"
    assert_up(servers)
    assert len(servers.registrations(limit="1000")) == before


@pytest.mark.parametrize("injection", INJECTIONS)
def test_the_affiliation_check_keeps_injection_as_plain_text(injection):
    from actions.validation import clean_affiliation

    assert clean_affiliation(injection) == injection
