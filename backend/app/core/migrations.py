"""Alembic, driven from Python: `python -m app.core.migrations` upgrades to head."""

from __future__ import annotations

import sys

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from pydantic import ValidationError
from sqlalchemy import Engine

from app.core.config import BACKEND_DIR, get_settings


def alembic_config(database_url: str) -> Config:
    config = Config(str(BACKEND_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(BACKEND_DIR / "alembic"))
    # Read by alembic/env.py; '%' is alembic.ini's interpolation character.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_to_head(database_url: str, *, configure_logging: bool = True) -> None:
    config = alembic_config(database_url)
    config.attributes["configure_logging"] = configure_logging
    command.upgrade(config, "head")


class DatabaseNotMigrated(RuntimeError):
    pass


def check_at_head(engine: Engine) -> None:
    """Raises DatabaseNotMigrated unless the database is at the latest migration."""
    head = ScriptDirectory.from_config(alembic_config(str(engine.url))).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current != head:
        raise DatabaseNotMigrated(
            f"the database is at migration {current or 'none'}, this code needs {head}: "
            "run `backend/.venv/bin/python -m app.core.migrations` (scripts/serve.sh does it first)"
        )


def main() -> int:
    try:
        settings = get_settings()
    except ValidationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    upgrade_to_head(settings.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
