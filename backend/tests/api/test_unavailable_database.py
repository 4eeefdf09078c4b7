"""A locked database and a full disk, against a real uvicorn server: a 503 in bounded
time, in the error shape, with Retry-After; nothing half-written; and the same request
registers exactly once when the database has recovered."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx2
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.core.config import BACKEND_DIR, Settings
from app.core.db import Database, make_engine
from app.main import create_app
from tests.conftest import (
    ADMIN_TOKEN,
    SERVICE_TOKEN,
    LiveServer,
    count_registrations,
    new_key,
    registration_body,
    service_headers,
    stored,
)

LOCK_TIMEOUT_MS = 500


def assert_unavailable(response: httpx2.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.json() == {
        "detail": {
            "code": "service_unavailable",
            "message": "The database is busy or unavailable; try again shortly.",
        }
    }
    assert response.headers["Retry-After"] == "5"


@contextmanager
def exclusive_lock(database_url: str, is_postgres: bool) -> Iterator[None]:
    """Another connection holds the strongest lock there is until the block ends."""
    if is_postgres:
        engine = make_engine(database_url, pooled=False)
        with engine.connect() as connection:
            connection.execute(text("LOCK TABLE registrations, events IN ACCESS EXCLUSIVE MODE"))
            yield
            connection.rollback()
        engine.dispose()
    else:
        connection = sqlite3.connect(make_url(database_url).database, isolation_level=None)
        connection.execute("BEGIN EXCLUSIVE")
        yield
        connection.rollback()
        connection.close()


def test_a_locked_database_answers_503_in_bounded_time_then_registers_once(
    settings: Settings, database_url: str, db: Database, is_postgres: bool
) -> None:
    app = create_app(settings.model_copy(update={"database_lock_timeout_ms": LOCK_TIMEOUT_MS}))
    body, key = registration_body(), new_key()
    with LiveServer(app) as server, httpx2.Client(base_url=server.url, timeout=30) as client:
        with exclusive_lock(database_url, is_postgres):
            started = time.monotonic()
            locked = client.post("/api/v1/registrations", json=body, headers=service_headers(key))
            waited = time.monotonic() - started
        assert_unavailable(locked)
        # It waited for the lock (DATABASE_LOCK_TIMEOUT_MS), and not much longer.
        assert LOCK_TIMEOUT_MS / 1000 * 0.8 <= waited < 3, waited
        assert count_registrations(db) == 0

        # The lock is gone: the retry with the same key registers, once.
        retried = client.post("/api/v1/registrations", json=body, headers=service_headers(key))
        again = client.post("/api/v1/registrations", json=body, headers=service_headers(key))
    assert retried.status_code == 201, retried.text
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == retried.json()
    assert count_registrations(db) == 1


@contextmanager
def service_that_cannot_write(settings: Settings) -> Iterator[str]:
    """The service in its own process (tests/api/disk_full_server.py) on the test database,
    where no file may grow once it has started."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        **os.environ,
        "ENVIRONMENT": "test",
        "DATABASE_URL": settings.database_url,
        "EVENTS_FILE": str(settings.events_file),
        "REGISTRATION_SERVICE_TOKEN": SERVICE_TOKEN,
        "REGISTRATION_ADMIN_TOKEN": ADMIN_TOKEN,
        "DATABASE_LOCK_TIMEOUT_MS": "2000",
        "LOG_LEVEL": "WARNING",
    }
    # Its output goes to a pipe: a log file could not grow either.
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.api.disk_full_server", str(port)],
        cwd=BACKEND_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.communicate()[0].decode(errors="replace")
                raise RuntimeError(f"the server did not start:\n{output}")
            try:
                if httpx2.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx2.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def test_a_full_disk_answers_503_and_leaves_nothing_half_written(
    settings: Settings, db: Database, is_postgres: bool, live_server: LiveServer
) -> None:
    if is_postgres:
        pytest.skip(
            "the file-size limit applies to our process's files; PostgreSQL's server writes "
            "its own (its DiskFull is an OperationalError like SQLite's, see test_main.py)"
        )
    with httpx2.Client(base_url=live_server.url, timeout=30) as client:
        before = client.post(
            "/api/v1/registrations",
            json=registration_body(email="first@example.org"),
            headers=service_headers(new_key()),
        ).json()
    rows_before = count_registrations(db)

    body, key = registration_body(), new_key()
    with service_that_cannot_write(settings) as url:
        with httpx2.Client(base_url=url, timeout=30) as client:
            full = client.post("/api/v1/registrations", json=body, headers=service_headers(key))
            retried = client.post("/api/v1/registrations", json=body, headers=service_headers(key))
            cancel = client.post(
                f"/api/v1/registrations/{before['confirmation_code']}/cancel",
                json={"email": "first@example.org"},
                headers=service_headers(),
            )
            reading = client.get("/api/v1/events")  # what only reads still works
    for answer in (full, retried, cancel):
        assert_unavailable(answer)
    assert reading.status_code == 200

    assert count_registrations(db) == rows_before
    assert stored(db, before["confirmation_code"]).status == "confirmed"  # not cancelled
    with db.session() as session:
        assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"

    # Room on the disk again: the same request registers, once.
    with httpx2.Client(base_url=live_server.url, timeout=30) as client:
        registered = client.post("/api/v1/registrations", json=body, headers=service_headers(key))
        replayed = client.post("/api/v1/registrations", json=body, headers=service_headers(key))
    assert registered.status_code == 201, registered.text
    assert replayed.json() == registered.json()
    assert count_registrations(db) == rows_before + 1
