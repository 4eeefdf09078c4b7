from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event, text

from app.core.db import Database, make_engine


def test_nothing_connects_until_first_use(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'sub' / 'lazy.db'}")
    assert database._engine is None
    assert not (tmp_path / "sub").exists()
    with database.session() as session:
        session.execute(text("SELECT 1"))
    assert (tmp_path / "sub" / "lazy.db").exists()  # the folder is created
    database.dispose()


def test_sqlite_uses_wal_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}", lock_timeout_ms=1234)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 1234
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_sqlite_write_sessions_begin_immediate(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'x.db'}")
    statements: list[str] = []
    event.listen(
        database.engine,
        "before_cursor_execute",
        lambda conn, cursor, statement, *args: statements.append(statement),
    )
    with database.write_session() as session:
        session.execute(text("SELECT 1"))
    with database.session() as session:
        session.execute(text("SELECT 2"))
    assert statements == ["BEGIN IMMEDIATE", "SELECT 1", "BEGIN DEFERRED", "SELECT 2"]
    database.dispose()


def test_a_write_session_rolls_back_on_error(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'x.db'}")
    with database.write_session() as session:
        session.execute(text("CREATE TABLE t (x INTEGER)"))
    with pytest.raises(RuntimeError):
        with database.write_session() as session:
            session.execute(text("INSERT INTO t VALUES (1)"))
            raise RuntimeError("half-way")
    with database.session() as session:
        assert session.execute(text("SELECT count(*) FROM t")).scalar() == 0
    database.dispose()
