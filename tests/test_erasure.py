"""Erasure end to end: a registration made in conversation is erased with scripts/erase.py,
in the registration service and in the conversations of the tracker store, and the
conversation goes on afterwards.

The tracker store is a SQLite file; set TEST_TRACKER_STORE_URL to run the same against
PostgreSQL, e.g. `backend/scripts/with-postgres.sh sh -c 'TEST_TRACKER_STORE_URL=$DATABASE_URL
.venv/bin/python -m pytest tests/test_erasure.py'`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import uuid

import pytest
import requests
import sqlalchemy as sa

from tests.conftest import PROJECT_DIR, Servers

pytestmark = pytest.mark.e2e

RUN = uuid.uuid4().hex[:6]
ERASED_PERSON = {
    "name": "Ottoline Wrexhamova",
    "email": f"ottoline.wrex.{RUN}@example.org",
    "affiliation": "Glenmorvia municipality",
    "municipality": f"tkibuli-{RUN}",
    "phone": "+995 551 27 83 64",
}
OTHER_PERSON = {
    "name": "Leopold Brannigast",
    "email": f"leopold.bran.{RUN}@example.org",
    "affiliation": "Dunmarrow municipality",
    "municipality": f"sachkhere-{RUN}",
    "phone": "+995 593 48 16 72",
}


def personal_values(person: dict) -> list[str]:
    return [person["name"], *person["name"].split(), person["email"], person["email"].split("@")[0],
            person["affiliation"], person["municipality"], person["phone"], re.sub(r"\D", "", person["phone"])]


class Citizen:
    def __init__(self, servers: Servers, person: dict):
        self.servers, self.person, self.sender = servers, person, uuid.uuid4().hex

    def say(self, text: str, metadata: bool = True) -> str:
        # the web widget sends the page's municipality with every message
        response = requests.post(
            f"{self.servers.rasa_url}/webhooks/rest/webhook", timeout=60,
            json={"sender": self.sender, "message": text,
                  "metadata": {"municipality": self.person["municipality"]} if metadata else None},
        )
        response.raise_for_status()
        return " ".join(answer.get("text", "") for answer in response.json())

    def register(self) -> str:
        """Registers; returns the confirmation code."""
        p = self.person
        for text in ("I want to register for the event", p["name"], p["email"], p["affiliation"]):
            self.say(text)
        summary = self.say("/affirm")
        assert p["name"] in summary and p["email"] in summary and p["affiliation"] in summary, summary
        done = self.say("/affirm")
        code = self.servers.registrations(email=p["email"])[0]["confirmation_code"]
        assert code in done
        self.say(f"my phone number is {p['phone']}, call me")
        return code


@pytest.fixture(scope="module")
def servers(model_path, tmp_path_factory):
    """Servers of this module's own (the tracker store is read and written directly)."""
    workdir = tmp_path_factory.mktemp("erasure")
    extra = {"TRACKER_STORE_URL": os.environ["TEST_TRACKER_STORE_URL"]} if os.environ.get("TEST_TRACKER_STORE_URL") else {}
    running = Servers(model_path, workdir, extra_env=extra)
    try:
        for name in ("backend", "actions", "rasa"):
            running.start(name)
        yield running
    finally:
        running.stop_all()


@pytest.fixture(scope="module")
def registered(servers):
    """The person to erase (registered, then checked the registration in a second
    conversation), and another person who stays."""
    erased = Citizen(servers, ERASED_PERSON)
    code = erased.register()
    checking = Citizen(servers, ERASED_PERSON)
    checking.say("is my registration confirmed?")
    checking.say(code)
    assert code in checking.say(ERASED_PERSON["email"])
    other = Citizen(servers, OTHER_PERSON)
    other_code = other.register()
    return {"code": code, "senders": [erased.sender, checking.sender], "conversation": erased,
            "other_code": other_code, "other_sender": other.sender}


def run_erase(servers: Servers, code: str, backend_url: str | None = None) -> subprocess.CompletedProcess:
    env = {**servers.env, "REGISTRATION_SERVICE_URL": backend_url or servers.backend_url}
    return subprocess.run(["scripts/with-env.sh", str(PROJECT_DIR / ".venv/bin/python"), "-m", "scripts.erase", code],
                          cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120)


def conversation_text(servers: Servers, sender: str) -> str:
    """Every event of a conversation, as stored and decoded (Georgian letters as letters)."""
    engine = sa.create_engine(servers.env["TRACKER_STORE_URL"])
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"),
                                      {"s": sender}).fetchall()
    finally:
        engine.dispose()
    assert rows, "the conversation is not in the tracker store"
    return "\n".join(row[0] + "\n" + json.dumps(json.loads(row[0]), ensure_ascii=False) for row in rows)


def found(text: str, person: dict) -> list[str]:
    return [value for value in personal_values(person) if value.lower() in text.lower()]


def registration(servers: Servers, code: str) -> dict:
    rows = [r for r in servers.registrations(limit="1000") if r["confirmation_code"] == code]
    assert len(rows) == 1
    return rows[0]


def test_with_the_service_down_nothing_changes(servers, registered):
    before = [conversation_text(servers, s) for s in registered["senders"]]
    result = run_erase(servers, registered["code"], backend_url="http://127.0.0.1:9")
    assert result.returncode != 0
    assert "cannot be reached" in result.stderr and "nothing was erased" in result.stderr
    assert [conversation_text(servers, s) for s in registered["senders"]] == before
    assert registration(servers, registered["code"])["full_name"] == ERASED_PERSON["name"]


def test_erasure_empties_the_row_and_the_conversations(servers, registered):
    for sender in registered["senders"]:
        assert found(conversation_text(servers, sender), ERASED_PERSON), "the test data is not there to erase"
    result = run_erase(servers, registered["code"])
    assert result.returncode == 0, result.stderr
    assert "2 conversation(s)" in result.stdout
    row = registration(servers, registered["code"])
    assert row["status"] == "erased"
    assert all(row[key] is None for key in ("full_name", "email", "municipality", "organisation"))
    for sender in registered["senders"]:
        text = conversation_text(servers, sender)
        assert found(text, ERASED_PERSON) == []
        assert "[erased]" in text
    # the other person's conversation is untouched
    assert len(found(conversation_text(servers, registered["other_sender"]), OTHER_PERSON)) >= 6
    assert registration(servers, registered["other_code"])["full_name"] == OTHER_PERSON["name"]


def test_the_conversation_goes_on_after_the_erasure(servers, registered):
    # (from another page: without the municipality, which would be new data)
    conversation = registered["conversation"]
    answer = conversation.say("when is the event?", metadata=False)
    assert "May" in answer, answer
    # Rasa appended the new events and wrote none of the old ones back
    assert found(conversation_text(servers, conversation.sender), ERASED_PERSON) == []
    # and registering again in it starts the form as usual
    assert "name" in conversation.say("I want to register for the event", metadata=False).lower()
    assert "nothing" in conversation.say("stop, I changed my mind", metadata=False).lower()


def test_erasing_again_changes_nothing(servers, registered):
    before = [conversation_text(servers, s) for s in registered["senders"]]
    result = run_erase(servers, registered["code"])
    assert result.returncode == 0, result.stderr
    assert "0 event(s) rewritten" in result.stdout
    assert [conversation_text(servers, s) for s in registered["senders"]] == before


def test_an_unknown_code_changes_nothing(servers, registered):
    result = run_erase(servers, "ZZZZ2222")
    assert result.returncode != 0 and "no registration ZZZZ2222" in result.stderr
