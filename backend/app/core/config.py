"""Settings, read once from environment variables, with documented defaults.

Every setting is an environment variable of the same name in capitals (DATABASE_URL,
REGISTRATION_SERVICE_TOKEN, ...). Relative paths in DATABASE_URL and EVENTS_FILE are
relative to the directory the process starts in; the defaults are fixed to this folder
(backend/), whatever the working directory.

Outside development mode (ENVIRONMENT other than "development") the service refuses to
start while a token still has its default value, is empty, or both tokens are the same.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

BACKEND_DIR = Path(__file__).resolve().parents[2]

DEFAULT_DATABASE_URL = f"sqlite:///{BACKEND_DIR / 'data' / 'registrations.db'}"
DEFAULT_EVENTS_FILE = BACKEND_DIR.parent / "content" / "events.yml"
DEFAULT_SERVICE_TOKEN = "dev-service-token-change-me"
DEFAULT_ADMIN_TOKEN = "dev-admin-token-change-me"


class Settings(BaseSettings):
    # Environment variables only (no .env file is read here: the root scripts/with-env.sh
    # loads .env for every process of the project). Unknown variables are ignored.
    # Errors never echo the input: it holds the tokens.
    model_config = SettingsConfigDict(
        case_sensitive=False, extra="ignore", hide_input_in_errors=True
    )

    environment: str = Field(
        default="development",
        description='"development" allows the default tokens; anything else refuses them.',
    )
    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL. postgresql:// URLs use the psycopg (3) driver.",
    )
    registration_service_token: str = Field(
        default=DEFAULT_SERVICE_TOKEN,
        description="Bearer token of the action server (create, look up, cancel).",
    )
    registration_admin_token: str = Field(
        default=DEFAULT_ADMIN_TOKEN,
        description="Bearer token of the organiser (list, export, erase).",
    )
    events_file: Path = Field(
        default=DEFAULT_EVENTS_FILE,
        description="The event content file (content/events.yml).",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    registration_timezone: str = Field(
        default="Asia/Tbilisi",
        description="A registration deadline (a date) lasts until the end of that day here.",
    )
    database_lock_timeout_ms: int = Field(
        default=3000,
        ge=0,
        le=30_000,
        description="How long a request waits for a database lock (or a pooled connection) "
        "before answering 503 (SQLite busy_timeout, PostgreSQL lock_timeout). At most 30 s, "
        "so a locked database never holds a request for longer.",
    )
    registration_rate_limit: int = Field(
        default=5,
        ge=0,
        description="Registration attempts per client per RATE_LIMIT_WINDOW_SECONDS (0: no "
        "limit). A repeated Idempotency-Key does not count again.",
    )
    lookup_rate_limit: int = Field(
        default=20,
        ge=0,
        description="Look-ups and cancellations (which take an email) per client per "
        "RATE_LIMIT_WINDOW_SECONDS (0: no limit).",
    )
    rate_limit_window_seconds: int = Field(
        default=600,
        ge=1,
        le=86_400,
        description="The sliding window of both rate limits.",
    )
    max_body_bytes: int = Field(
        default=64 * 1024,
        ge=1024,
        description="A request body larger than this is refused with 413 before it is read.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _use_psycopg3(cls, value: str) -> str:
        # The only PostgreSQL driver installed is psycopg 3; SQLAlchemy would pick
        # psycopg2 for a bare postgresql:// URL.
        for prefix in ("postgresql://", "postgres://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        return value

    @model_validator(mode="after")
    def _refuse_default_secrets_outside_development(self) -> Settings:
        if self.is_development:
            return self
        problems = []
        for name, value, default in (
            ("REGISTRATION_SERVICE_TOKEN", self.registration_service_token, DEFAULT_SERVICE_TOKEN),
            ("REGISTRATION_ADMIN_TOKEN", self.registration_admin_token, DEFAULT_ADMIN_TOKEN),
        ):
            if not value.strip() or value == default:
                problems.append(f"{name} has its default (or an empty) value")
        if self.registration_service_token == self.registration_admin_token:
            problems.append("REGISTRATION_SERVICE_TOKEN and REGISTRATION_ADMIN_TOKEN are the same")
        if problems:
            raise ValueError(
                f"refusing to start with ENVIRONMENT={self.environment!r}: "
                + "; ".join(problems)
                + ". Set long random values, e.g. from "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'."
            )
        return self

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The settings of this process (read from the environment on first call)."""
    return Settings()
