"""The app as a whole: error shapes, a locked or full database, start-up checks."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from app.core.config import Settings
from app.core.db import Database, make_engine
from app.core.migrations import DatabaseNotMigrated
from app.main import create_app
from tests.conftest import (
    admin_headers,
    count_registrations,
    new_key,
    registration_body,
    service_headers,
)


def test_unknown_paths_and_methods_use_the_error_shape(client: TestClient) -> None:
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.json() == {"detail": {"code": "not_found", "message": "Not Found"}}
    wrong_method = client.put("/api/v1/events")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["detail"]["code"] == "method_not_allowed"


def test_openapi_documents_both_tokens(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert set(schema["components"]["securitySchemes"]) == {"ServiceToken", "AdminToken"}
    assert "/api/v1/registrations/export.csv" in schema["paths"]


def test_a_locked_database_answers_503_and_writes_nothing(
    settings: Settings, database_url: str, db: Database, is_postgres: bool
) -> None:
    """Another connection holds the lock for longer than DATABASE_LOCK_TIMEOUT_MS."""
    app = create_app(settings.model_copy(update={"database_lock_timeout_ms": 200}))
    blocker = make_engine(database_url, pooled=False)
    with TestClient(app) as client, blocker.connect() as connection:
        if is_postgres:
            connection.execute(text("SELECT id FROM events WHERE id = 'open-event' FOR UPDATE"))
        else:
            connection.execution_options(sqlite_begin="IMMEDIATE")
            connection.execute(
                text("UPDATE events SET position = position WHERE id = 'open-event'")
            )
        response = client.post(
            "/api/v1/registrations", json=registration_body(), headers=service_headers(new_key())
        )
        connection.rollback()
    blocker.dispose()

    assert response.status_code == 503
    assert response.json()["detail"]["code"] == "service_unavailable"
    assert response.headers["Retry-After"] == "5"
    assert count_registrations(db) == 0


def test_a_full_disk_answers_503_and_leaves_nothing_half_written(
    client: TestClient, app: FastAPI, db: Database
) -> None:
    """The INSERT fails as SQLite fails on a full disk (PostgreSQL's DiskFull is an
    OperationalError too)."""
    engine = app.state.db.engine

    def disk_full(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if statement.lstrip().upper().startswith("INSERT INTO REGISTRATIONS"):
            raise OperationalError(
                statement, parameters, sqlite3.OperationalError("database or disk is full")
            )

    event.listen(engine, "before_cursor_execute", disk_full)
    try:
        response = client.post(
            "/api/v1/registrations", json=registration_body(), headers=service_headers(new_key())
        )
    finally:
        event.remove(engine, "before_cursor_execute", disk_full)

    assert response.status_code == 503
    assert response.json() == {
        "detail": {
            "code": "service_unavailable",
            "message": "The database is busy or unavailable; try again shortly.",
        }
    }
    assert count_registrations(db) == 0
    # and the service goes on once the disk has room again
    again = client.post(
        "/api/v1/registrations", json=registration_body(), headers=service_headers(new_key())
    )
    assert again.status_code == 201


def test_no_free_database_connection_answers_503_in_bounded_time(
    settings: Settings,
) -> None:
    """Every pooled connection busy (e.g. all waiting on a lock): a request waits at most
    max(DATABASE_LOCK_TIMEOUT_MS, 1 s) for one, then answers 503 instead of hanging."""
    app = create_app(settings.model_copy(update={"database_lock_timeout_ms": 200}))
    engine = app.state.db.engine
    with TestClient(app) as client:
        held = [engine.connect() for _ in range(engine.pool.size() + engine.pool._max_overflow)]
        started = time.monotonic()
        response = client.get("/api/v1/registrations", headers=admin_headers())
        waited = time.monotonic() - started
        for connection in held:
            connection.close()
        assert client.get("/api/v1/registrations", headers=admin_headers()).status_code == 200

    assert response.status_code == 503
    assert response.json()["detail"]["code"] == "service_unavailable"
    assert response.headers["Retry-After"] == "5"
    assert 0.9 <= waited < 4, waited


def test_start_up_refuses_an_unmigrated_database(settings: Settings, tmp_path: Path) -> None:
    app = create_app(
        settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'empty.db'}"})
    )
    with pytest.raises(DatabaseNotMigrated, match="run"):
        with TestClient(app):
            pass


def test_start_up_refuses_default_tokens_outside_development(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.delenv("REGISTRATION_SERVICE_TOKEN", raising=False)
    monkeypatch.delenv("REGISTRATION_ADMIN_TOKEN", raising=False)
    from app.core.config import get_settings

    get_settings.cache_clear()
    try:
        with pytest.raises(ValidationError, match="REGISTRATION_SERVICE_TOKEN has its default"):
            create_app()
    finally:
        get_settings.cache_clear()


def test_start_up_syncs_the_events(client: TestClient, db: Database) -> None:
    with db.session() as session:
        ids = (
            session.execute(text("SELECT id FROM events WHERE listed ORDER BY position"))
            .scalars()
            .all()
        )
    assert ids[0] == "open-event" and len(ids) == 5
