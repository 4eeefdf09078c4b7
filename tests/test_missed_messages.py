"""`make missed`: the messages the assistant did not understand, read from a real tracker
store that the real servers wrote, with names, emails and phone numbers masked."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import uuid

import pytest

from tests.conftest import PROJECT_DIR

SCRIPT = PROJECT_DIR / "scripts" / "missed_messages.py"
_spec = importlib.util.spec_from_file_location("missed_messages", SCRIPT)
missed_messages = importlib.util.module_from_spec(_spec)
sys.modules["missed_messages"] = missed_messages  # dataclasses look their module up
_spec.loader.exec_module(missed_messages)


@pytest.fixture(scope="module")
def vocabulary():
    return missed_messages.training_vocabulary()


@pytest.mark.parametrize("text, masked", [
    ("my email is anna.rossi@example.org", "my email is [email]"),
    ("call me on +995 555 12 34 56 or 599123456", "call me on [phone] or [phone]"),
    ("my code is K7M2-PQ9X", "my code is [code]"),
    ("Hi, Anna Rossi here, is it free?", "Hi, [name] here, is it free?"),
    ("მე ვარ ნინო ბერიძე, როდის არის ღონისძიება?", "მე ვარ [name], როდის არის ღონისძიება?"),
    ("me var giorgi kapanadze, sad aris?", "me var [name], sad aris?"),
    # words the training data knows are not names
    ("is the Faber Box in Schio accessible?", "is the Faber Box in Schio accessible?"),
    ("What is Open Government?", "What is Open Government?"),
    ("when is it, 24-27 May?", "when is it, 24-27 May?"),
])
def test_personal_data_is_masked(vocabulary, text, masked):
    assert missed_messages.mask(text, vocabulary) == masked


def test_a_relative_sqlite_path_is_the_projects_like_rasas(monkeypatch):
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    assert missed_messages.database_url(None) == f"sqlite:///{PROJECT_DIR / 'var' / 'tracker.db'}"
    assert missed_messages.database_url("postgresql://u:p@h/rasa") == "postgresql://u:p@h/rasa"


def test_a_missing_tracker_store_is_reported(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT), "--url", f"sqlite:///{tmp_path / 'none.db'}"],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "no tracker store" in result.stderr
    assert not (tmp_path / "none.db").exists(), "reading must not create an empty database"


def missed(servers, *args, env=None):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=PROJECT_DIR,
        env={**os.environ, "TRACKER_STORE_URL": f"sqlite:///{servers.workdir / 'tracker.db'}", **(env or {})},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.e2e
def test_missed_messages_come_from_real_conversations_masked(servers):
    nonsense, email, name = uuid.uuid4().hex, uuid.uuid4().hex, uuid.uuid4().hex
    button = uuid.uuid4().hex
    servers.ask("xyzzy qwerty blorf", nonsense)
    servers.ask("/ask_event_date", button)
    servers.ask("zzz nino.beridze@example.org +995 555 12 34 56 Anna Rossi plz", email)
    servers.ask("I want to register for the event", name)
    servers.ask("Zurab Chanturia", name)  # typed while the form asks for the full name
    ids = {missed_messages.conversation_id(s): s for s in (nonsense, email, name, button)}

    # the default threshold: the nonsense is listed, with what the assistant did
    listed = json.loads(missed(servers, "--format", "json", "--since", "1h", "--limit", "1000"))
    ours = [m for m in listed if m["conversation"] in ids]
    nonsense_rows = [m for m in ours if ids[m["conversation"]] == nonsense]
    assert len(nonsense_rows) == 1
    assert nonsense_rows[0]["text"] == "xyzzy qwerty blorf"
    assert nonsense_rows[0]["reason"] and nonsense_rows[0]["writing"] == "en"

    # every message (threshold above any confidence): button presses never, personal data masked
    everything = json.loads(missed(servers, "--format", "json", "--threshold", "1.01", "--limit", "1000"))
    ours = [m for m in everything if m["conversation"] in ids]
    by_sender = {}
    for m in ours:
        by_sender.setdefault(ids[m["conversation"]], []).append(m)
    assert button not in by_sender
    assert by_sender[email][0]["text"] == "zzz [email] [phone] [name] plz"
    form_answer = by_sender[name][0]  # newest first: the name came after the request
    assert form_answer["withheld"] and form_answer["slot"] == "full_name"
    assert "Zurab" not in form_answer["text"] and "Chanturia" not in form_answer["text"]
    assert by_sender[name][1]["text"] == "I want to register for the event"
    stamps = [m["timestamp"] for m in everything]
    assert stamps == sorted(stamps, reverse=True)

    dump = json.dumps(everything, ensure_ascii=False)
    for secret in ("nino.beridze", "555 12", "Rossi", "Chanturia", nonsense, email, name):
        assert secret not in dump

    # the table and the YAML blocks
    table = missed(servers, "--threshold", "1.01", "--limit", "1000")
    assert "| when | conversation | writing |" in table and "zzz [email] [phone] [name] plz" in table
    blocks = missed(servers, "--format", "yaml", "--threshold", "1.01", "--limit", "1000")
    assert "    - xyzzy qwerty blorf" in blocks and "lang: en" in blocks
    assert "withheld" not in blocks, "withheld form answers are nothing to copy"
    assert json.loads(missed(servers, "--format", "json", "--since", "2999-01-01")) == []
    assert len(json.loads(missed(servers, "--format", "json", "--threshold", "1.01", "--limit", "2"))) == 2
