from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.core.config import (
    BACKEND_DIR,
    DEFAULT_ADMIN_TOKEN,
    DEFAULT_SERVICE_TOKEN,
    Settings,
)

SETTINGS_VARIABLES = (
    "ENVIRONMENT",
    "DATABASE_URL",
    "REGISTRATION_SERVICE_TOKEN",
    "REGISTRATION_ADMIN_TOKEN",
    "EVENTS_FILE",
    "HOST",
    "PORT",
    "REGISTRATION_TIMEZONE",
    "DATABASE_LOCK_TIMEOUT_MS",
    "REGISTRATION_RATE_LIMIT",
    "LOOKUP_RATE_LIMIT",
    "RATE_LIMIT_WINDOW_SECONDS",
    "MAX_BODY_BYTES",
    "LOG_LEVEL",
)


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults(clean_environment: pytest.MonkeyPatch) -> None:
    settings = Settings()
    assert settings.environment == "development"
    assert settings.database_url == f"sqlite:///{BACKEND_DIR / 'data' / 'registrations.db'}"
    assert settings.events_file == BACKEND_DIR.parent / "content" / "events.yml"
    assert settings.events_file.is_file()
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.registration_service_token == DEFAULT_SERVICE_TOKEN
    assert settings.registration_admin_token == DEFAULT_ADMIN_TOKEN
    assert settings.database_lock_timeout_ms == 3000
    assert (settings.registration_rate_limit, settings.lookup_rate_limit) == (5, 20)
    assert settings.rate_limit_window_seconds == 600
    assert settings.max_body_bytes == 64 * 1024


def test_read_from_the_environment(clean_environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_environment.setenv("DATABASE_URL", "postgresql://u:p@127.0.0.1:5433/reg")
    clean_environment.setenv("EVENTS_FILE", str(tmp_path / "e.yml"))
    clean_environment.setenv("PORT", "9001")
    clean_environment.setenv("LOG_LEVEL", "debug")
    settings = Settings()
    assert settings.database_url == "postgresql+psycopg://u:p@127.0.0.1:5433/reg"
    assert settings.events_file == tmp_path / "e.yml"
    assert settings.port == 9001
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("service", "admin", "problem"),
    [
        (None, None, "REGISTRATION_SERVICE_TOKEN has its default"),
        ("a-real-service-token-123", None, "REGISTRATION_ADMIN_TOKEN has its default"),
        (None, "a-real-admin-token-123", "REGISTRATION_SERVICE_TOKEN has its default"),
        ("", "a-real-admin-token-123", "REGISTRATION_SERVICE_TOKEN has its default (or an empty)"),
        ("same-token-for-both-12", "same-token-for-both-12", "are the same"),
    ],
)
def test_refuses_default_tokens_outside_development(
    clean_environment: pytest.MonkeyPatch, service: str | None, admin: str | None, problem: str
) -> None:
    clean_environment.setenv("ENVIRONMENT", "production")
    if service is not None:
        clean_environment.setenv("REGISTRATION_SERVICE_TOKEN", service)
    if admin is not None:
        clean_environment.setenv("REGISTRATION_ADMIN_TOKEN", admin)
    with pytest.raises(ValidationError, match=re.escape(problem)) as raised:
        Settings()
    assert "token-123" not in str(raised.value)  # the error never shows a token


def test_production_with_real_tokens_starts(clean_environment: pytest.MonkeyPatch) -> None:
    clean_environment.setenv("ENVIRONMENT", "production")
    clean_environment.setenv("REGISTRATION_SERVICE_TOKEN", "s" * 32)
    clean_environment.setenv("REGISTRATION_ADMIN_TOKEN", "a" * 32)
    assert Settings().environment == "production"


def test_development_allows_the_defaults(clean_environment: pytest.MonkeyPatch) -> None:
    clean_environment.setenv("ENVIRONMENT", "development")
    assert Settings().is_development


def test_limits_read_from_the_environment(clean_environment: pytest.MonkeyPatch) -> None:
    clean_environment.setenv("REGISTRATION_RATE_LIMIT", "0")
    clean_environment.setenv("LOOKUP_RATE_LIMIT", "7")
    clean_environment.setenv("RATE_LIMIT_WINDOW_SECONDS", "60")
    clean_environment.setenv("MAX_BODY_BYTES", "2048")
    settings = Settings()
    assert (settings.registration_rate_limit, settings.lookup_rate_limit) == (0, 7)
    assert (settings.rate_limit_window_seconds, settings.max_body_bytes) == (60, 2048)


def test_a_lock_timeout_is_bounded(clean_environment: pytest.MonkeyPatch) -> None:
    """A locked database answers 503 within seconds; a setting cannot make it hang."""
    clean_environment.setenv("DATABASE_LOCK_TIMEOUT_MS", "600000")
    with pytest.raises(ValidationError, match="database_lock_timeout_ms"):
        Settings()
