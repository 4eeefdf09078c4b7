"""Database engine and sessions, built on first use (nothing connects at import time).

SQLite: WAL journal, a busy timeout, foreign keys on, and transactions begun by us
(pysqlite's own BEGIN handling is turned off) so that a write can start with
BEGIN IMMEDIATE and take the write lock before it reads what it decides on.
PostgreSQL: psycopg 3, pre-ping, a lock timeout.
Both: a request waits at most the lock timeout for a lock, and again at most that long
(1 s at least) for a pooled connection; app.main answers 503 when either runs out.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

# Execution option read by the SQLite "begin" hook: "IMMEDIATE" takes the write lock
# at BEGIN instead of at the first write.
SQLITE_BEGIN: Final = "sqlite_begin"


def _ensure_sqlite_folder(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str, *, lock_timeout_ms: int = 3000, pooled: bool = True) -> Engine:
    """An engine for `url` with this service's connection settings."""
    pool_options: dict[str, Any] = (
        {"pool_timeout": max(lock_timeout_ms / 1000, 1.0)} if pooled else {"poolclass": NullPool}
    )
    if url.startswith("sqlite"):
        _ensure_sqlite_folder(url)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": lock_timeout_ms / 1000},
            **pool_options,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {int(lock_timeout_ms)}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_on_begin(connection):  # type: ignore[no-untyped-def]
            mode = connection.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
            if mode not in ("DEFERRED", "IMMEDIATE"):
                raise ValueError(f"unknown SQLite BEGIN mode {mode!r}")
            connection.exec_driver_sql(f"BEGIN {mode}")

        return engine

    connect_args = {}
    if url.startswith("postgresql"):
        connect_args = {"options": f"-c lock_timeout={int(lock_timeout_ms)}", "connect_timeout": 5}
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args=connect_args,
        **pool_options,
    )


class Database:
    """Holds the engine and session factory of one app; both are built on first use."""

    def __init__(self, url: str, *, lock_timeout_ms: int = 3000) -> None:
        self.url = url
        self.lock_timeout_ms = lock_timeout_ms
        self._engine: Engine | None = None
        self._sessionmaker: sessionmaker[Session] | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = make_engine(self.url, lock_timeout_ms=self.lock_timeout_ms)
        return self._engine

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    def session(self) -> Session:
        if self._sessionmaker is None:
            self._sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        return self._sessionmaker()

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """A session whose transaction takes the write lock at once on SQLite.

        Commits at the end of the block, rolls back on any exception: nothing is left
        half-written.
        """
        with self.session() as session:
            session.connection(
                execution_options={SQLITE_BEGIN: "IMMEDIATE"} if self.is_sqlite else {}
            )
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
