"""Rasa's SQL tracker store, with SQLite set up for a server rather than for a script.

The profile of `make bench` (docs/benchmarks.md) put Rasa's SQLTrackerStore at 29% of the
Rasa process's busy time on the default SQLite file, the biggest single cost after the HTTP
server. Two things make it slow there, both defaults of SQLAlchemy 1.4 and SQLite rather
than anything in Rasa's queries:

- SQLAlchemy 1.4 gives a SQLite *file* no connection pool (NullPool): every load and every
  save of a conversation opens the file and reads its schema again.
- SQLite's default rollback journal with `synchronous=FULL` syncs the disk several times
  per commit, and Rasa commits once per message.

So, for SQLite only: one pooled connection, the write-ahead log (readers such as
`make missed` or `scripts/erase.py` no longer wait for the writer, nor it for them), and
`synchronous=NORMAL`, which in WAL mode syncs at checkpoints instead of at every commit.
A crash of Rasa loses nothing; a power cut can lose the last moments of conversations,
never corrupt the file (https://www.sqlite.org/wal.html). Registrations are not kept here
but in the registration service's own database. A `busy_timeout` makes a writer wait for
another one instead of failing at once.

PostgreSQL (TRACKER_STORE_URL=postgresql://...) keeps Rasa's settings, and checks a pooled
connection before use (it survives a restart of the database server). On both, an error's
text leaves out the statement's values (`hide_parameters`): no conversation text in logs.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs

logger = logging.getLogger(__name__)

# Milliseconds a connection waits for another writer before "database is locked".
BUSY_TIMEOUT_MS = 5000


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


class TunedSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` (same tables, same queries); on SQLite, a pooled connection in WAL
    mode. Configured in endpoints.yml as `type: components.tracker_store.TunedSQLTrackerStore`
    with the same `url` as Rasa's `type: SQL`."""

    engine: sa.engine.Engine  # SQLTrackerStore's, made again here

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        # An error's text never carries the statement's values (messages, names, emails)
        # into the logs.
        options: dict[str, Any] = {"hide_parameters": True}
        sqlite_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
        if sqlite_file:
            # Rasa handles one message at a time on Sanic's event-loop thread; the pool lets
            # a second thread (if any) have its own connection instead of sharing one.
            options.update(poolclass=sa.pool.QueuePool, pool_size=1, max_overflow=4,
                           connect_args={"check_same_thread": False})
        else:
            # A connection that a restart of PostgreSQL closed is noticed before use and
            # replaced, instead of failing the next turn of each pooled connection: Rasa's
            # fail-safe wrapper would then answer that turn as a new conversation
            # (tests/test_scaled.py restarts PostgreSQL mid-registration).
            options.update(create_engine_kwargs(url), pool_pre_ping=True)
        self.engine.dispose()
        self.engine = sa.create_engine(url, **options)
        if sqlite_file:
            sa.event.listen(self.engine, "connect", _tune_sqlite)
            logger.debug("SQLite tracker store %s in WAL mode with a pooled connection.", url.database)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
