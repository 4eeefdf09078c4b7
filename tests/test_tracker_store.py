"""The tracker store that endpoints.yml names: Rasa's SQL store, tuned for SQLite."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.utils.endpoints import read_endpoint_config

from components.tracker_store import TunedSQLTrackerStore
from tests.conftest import PROJECT_DIR


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_DIR / "domain"))


def test_endpoints_yml_loads_this_store_not_rasas_silent_in_memory_fallback(domain, tmp_path, monkeypatch):
    # Rasa falls back to a memory-only store, with just a warning, when a custom type fails
    # to import: conversations would then be lost at every restart.
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:1/webhook")
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    config = read_endpoint_config(str(PROJECT_DIR / "endpoints.yml"), "tracker_store")
    store = TrackerStore.create(config, domain)
    assert isinstance(store, TunedSQLTrackerStore)


async def _talk(store: TunedSQLTrackerStore, sender: str, turns: int) -> None:
    for turn in range(turns):
        tracker = await store.get_or_create_tracker(sender)
        tracker.update(UserUttered(f"question {turn}", {"name": "greet", "confidence": 1.0}))
        tracker.update(ActionExecuted("utter_greet"))
        tracker.update(BotUttered(f"answer {turn}"))
        tracker.update(SlotSet("email", f"person{turn}@example.org"))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)


def test_sqlite_is_in_wal_mode_and_a_new_process_reads_every_event(domain, tmp_path):
    path = tmp_path / "tracker.db"
    store = TunedSQLTrackerStore(domain=domain, host=f"sqlite:///{path}")
    asyncio.run(_talk(store, "citizen", 3))

    with sqlite3.connect(path) as reader:  # as `make missed` or scripts/erase.py read it
        assert reader.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert reader.execute("SELECT COUNT(*) FROM events WHERE sender_id = 'citizen'").fetchone()[0] > 15

    again = TunedSQLTrackerStore(domain=domain, host=f"sqlite:///{path}")  # as after a restart
    tracker = asyncio.run(again.retrieve("citizen"))
    texts = [event.text for event in tracker.events if isinstance(event, UserUttered)]
    assert texts == ["question 0", "question 1", "question 2"]
    assert tracker.get_slot("email") == "person2@example.org"


def test_saving_twice_stores_each_event_once(domain, tmp_path):
    store = TunedSQLTrackerStore(domain=domain, host=f"sqlite:///{tmp_path / 'tracker.db'}")
    asyncio.run(_talk(store, "citizen", 1))
    tracker = asyncio.run(store.retrieve("citizen"))
    asyncio.run(store.save(tracker))
    again = asyncio.run(store.retrieve("citizen"))
    assert len(again.events) == len(tracker.events)


def test_a_writer_waits_for_another_instead_of_failing(domain, tmp_path):
    path = tmp_path / "tracker.db"
    store = TunedSQLTrackerStore(domain=domain, host=f"sqlite:///{path}")
    asyncio.run(_talk(store, "first", 1))
    # another process holds the write lock for a moment (e.g. an erasure in progress)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    loop = asyncio.new_event_loop()
    try:
        threading.Timer(0.5, lambda: other.execute("COMMIT")).start()
        loop.run_until_complete(_talk(store, "second", 1))
    finally:
        loop.close()
        other.close()
    assert asyncio.run(store.retrieve("second")) is not None


def test_an_errors_text_leaves_out_what_the_citizen_wrote(domain, tmp_path):
    store = TunedSQLTrackerStore(domain=domain, host=f"sqlite:///{tmp_path / 'tracker.db'}")
    with pytest.raises(Exception) as error:
        with store.engine.connect() as connection:
            connection.execute(sa.text("SELECT * FROM no_such_table WHERE x = :v"), {"v": "nino@example.org"})
    assert "nino@example.org" not in str(error.value)
