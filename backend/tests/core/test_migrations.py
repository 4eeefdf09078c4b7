from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from app.core.db import make_engine
from app.core.migrations import DatabaseNotMigrated, check_at_head, upgrade_to_head


def test_upgrade_creates_the_tables_and_the_partial_unique_index(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    engine = make_engine(url)
    with pytest.raises(DatabaseNotMigrated):
        check_at_head(engine)

    upgrade_to_head(url, configure_logging=False)
    upgrade_to_head(url, configure_logging=False)  # a second run changes nothing

    check_at_head(engine)
    inspector = inspect(engine)
    assert {"events", "registrations", "alembic_version"} <= set(inspector.get_table_names())
    indexes = {index["name"]: index for index in inspector.get_indexes("registrations")}
    active = indexes["uq_registrations_event_email_active"]
    assert active["unique"] and active["column_names"] == ["event_id", "email"]
    uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("registrations")}
    assert {("idempotency_key",), ("confirmation_code",)} <= uniques
    engine.dispose()


def test_the_test_database_is_migrated_and_matches_the_models(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from app.models import Base

    engine = make_engine(database_url, pooled=False)
    check_at_head(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []
