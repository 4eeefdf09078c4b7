"""Fixtures: a real database (SQLite by default, TEST_DATABASE_URL when set), cleaned and
re-seeded with the test events before every test, an app, a client and a live server.

The suite never reads DATABASE_URL, so it cannot wipe a database you point the service at;
scripts/test.sh sets TEST_DATABASE_URL to the throwaway PostgreSQL of with-postgres.sh.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select

from app.content import load_events
from app.core.config import Settings
from app.core.db import Database
from app.core.migrations import upgrade_to_head
from app.main import create_app
from app.models import Event, Registration
from app.services.events import sync_events

SERVICE_TOKEN = "test-service-token-0123456789"
ADMIN_TOKEN = "test-admin-token-9876543210"

# Events the tests rely on (the real content file is checked in tests/test_content.py).
TEST_EVENTS_YAML = """\
current: open-event
events:
  - id: open-event
    title:
      ka: "ღია ღონისძიება"
      en: "Open event"
    start: "05-24"
    end: "05-27"
    year: 2099
    venue:
      ka: "თბილისი"
      en: "Tbilisi"
    agenda_url:
    registration_url:
    registration_open: true
    registration_deadline:
    capacity: 3
  - id: unlimited-event
    title: {ka: "შეუზღუდავი", en: "Unlimited"}
    start: "06-01"
    end: "06-01"
    year:
    venue: {ka: "ქუთაისი", en: "Kutaisi"}
    registration_open: true
    registration_deadline:
    capacity:
  - id: full-event
    title: {ka: "სავსე", en: "Full"}
    start: "07-01"
    end: "07-02"
    year:
    venue: {ka: "ბათუმი", en: "Batumi"}
    registration_open: true
    registration_deadline: 2099-12-31
    capacity: 0
  - id: closed-event
    title: {ka: "დახურული", en: "Closed"}
    start: "08-01"
    end: "08-01"
    year:
    venue: {ka: "თელავი", en: "Telavi"}
    registration_open: false
    registration_deadline:
    capacity: 50
  - id: past-deadline-event
    title: {ka: "ვადაგასული", en: "Past deadline"}
    start: "09-01"
    end: "09-01"
    year:
    venue: {ka: "გორი", en: "Gori"}
    registration_open: true
    registration_deadline: 2001-01-01
    capacity: 50
"""


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'registrations.db'}"
    url = Settings(database_url=url).database_url  # postgresql:// -> psycopg 3
    upgrade_to_head(url, configure_logging=False)
    return url


@pytest.fixture(scope="session")
def is_postgres(database_url: str) -> bool:
    return database_url.startswith("postgresql")


@pytest.fixture(scope="session")
def events_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("content") / "events.yml"
    path.write_text(TEST_EVENTS_YAML, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def db(database_url: str) -> Iterator[Database]:
    """The tests' own handle on the database, to look at the stored rows."""
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture(autouse=True)
def clean_database(db: Database, events_file: Path) -> None:
    """Every test starts with no registrations and the test events."""
    with db.write_session() as session:
        session.execute(delete(Registration))
        session.execute(delete(Event))
    sync_events(db, load_events(events_file))


@pytest.fixture
def settings(database_url: str, events_file: Path) -> Settings:
    # A non-development environment, so the production checks of the settings apply.
    return Settings(
        environment="test",
        database_url=database_url,
        events_file=events_file,
        registration_service_token=SERVICE_TOKEN,
        registration_admin_token=ADMIN_TOKEN,
        database_lock_timeout_ms=5000,
        # Out of the way of the tests that send many requests from one client;
        # tests/api/test_limits.py checks the limits themselves.
        registration_rate_limit=10_000,
        lookup_rate_limit=10_000,
        log_level="WARNING",
    )


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


class LiveServer:
    def __init__(self, app: FastAPI) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))  # a free port, held until the server takes it
        host, port = self.socket.getsockname()
        self.url = f"http://{host}:{port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)
        self.socket.close()


@pytest.fixture
def live_server(app: FastAPI) -> Iterator[LiveServer]:
    """The app served by a real uvicorn on a free port of 127.0.0.1, in a thread."""
    with LiveServer(app) as server:
        yield server


# --- helpers -------------------------------------------------------------------------


def service_headers(key: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return headers


def admin_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def new_key() -> str:
    return str(uuid.uuid4())


def registration_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "event_id": "open-event",
        "full_name": "ნინო ბერიძე",
        "email": "nino@example.org",
        "municipality": "ქუთაისი",
        "organisation": "Civic Lab",
        "language": "ka",
        "consent": True,
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not ...}


def stored(db: Database, code: str) -> Registration | None:
    with db.session() as session:
        return session.scalar(select(Registration).where(Registration.confirmation_code == code))


def count_registrations(db: Database, **filters: Any) -> int:
    query = select(func.count()).select_from(Registration)
    for column, value in filters.items():
        query = query.where(getattr(Registration, column) == value)
    with db.session() as session:
        return session.scalar(query) or 0
