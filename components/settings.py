"""The assistant's settings: the environment variables that Rasa's process (components,
channels) and the action server (actions) read, each with its type and default, read one
way, as the registration service reads its own (backend/app/core/config.py).

An empty or unset variable means the default; a value that cannot be read stops the
process with an error naming the variable ("REGISTRATION_READ_TIMEOUT: 'four' is not a
number of seconds"), instead of a default that nobody asked for. `.env.example` and the
README's table are checked against `DEFAULTS` (tests/test_settings.py). Telegram's
variables stay with its channel (channels/telegram.py): they are read only when the
channel is configured, and its credentials block may override them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Mapping, Optional, TypeVar

PROJECT_DIR = Path(__file__).resolve().parent.parent

T = TypeVar("T")


class SettingsError(ValueError):
    """A variable holds a value that cannot be used; the message names it."""


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError
    return value


def _non_negative_int(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise ValueError
    return value


def _positive_float(raw: str) -> float:
    value = float(raw)
    if not value > 0 or value == float("inf"):
        raise ValueError
    return value


def _non_negative_float(raw: str) -> float:
    value = float(raw)
    if not value >= 0 or value == float("inf"):
        raise ValueError
    return value


def _url(raw: str) -> str:
    if not raw.startswith(("http://", "https://")):
        raise ValueError
    return raw.rstrip("/")


def _moment(raw: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(raw.strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise SettingsError(f"FIXED_TIME: {raw!r} is not a date and time with its offset, "
                            f"such as 2027-05-24T15:00:00+02:00")
    return moment


def _bool(raw: str) -> bool:
    if raw.lower() not in ("true", "false"):
        raise ValueError
    return raw.lower() == "true"


def _address(raw: str) -> str:
    """An e-mail address, or empty."""
    if raw and not re.fullmatch(r"[^@\s]+@[^@\s]+", raw):
        raise ValueError
    return raw


def _path(raw: str) -> Path:
    path = Path(raw)
    return path if path.is_absolute() else PROJECT_DIR / path


# what a value must be, for the error message
_KINDS: Dict[Callable[[str], object], str] = {
    _positive_int: "a whole number above 0",
    _non_negative_int: "a whole number, 0 or more",
    _positive_float: "a number of seconds above 0",
    _non_negative_float: "a number of seconds, 0 or more",
    _url: "an http:// or https:// address",
    _path: "a path",
    _bool: "true or false",
    _address: "an e-mail address",
    str: "text",
}


@dataclass(frozen=True)
class Settings:
    # content that maintainers edit (re-read when it changes)
    content_dir: Path
    events_file: Path
    principles_file: Path
    knowledge_dir: Path
    # the registration service, as the action server calls it
    registration_service_url: str
    registration_service_token: str
    registration_connect_timeout: float
    registration_read_timeout: float
    registration_retries: int
    registration_backoff: float
    # the channels' input check (channels/guard.py)
    channel_max_message_chars: int
    channel_rate_limit_messages: int
    channel_rate_limit_seconds: float
    # the sentence encoder (components/sentence_vectors.py)
    sentence_vector_threads: int
    sentence_vector_cache: Optional[Path]  # None: set to empty, no cache on disk
    # the token of GET /webhooks/stats/ (channels/stats.py); empty: not served
    stats_token: str = ""
    # a fixed "now" for "open now" answers (tests, demos); None: the real clock
    fixed_time: Optional[dt.datetime] = None
    # where "leave a message" sends the citizen's message (actions/messages.py); empty: not offered
    messages_to: str = ""
    # the SMTP server that sends it (STARTTLS, and a login when a user is set)
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "assistant@localhost"
    smtp_timeout: float = 10.0

    def now(self) -> dt.datetime:
        """The current moment, aware of its time zone (FIXED_TIME when set)."""
        return self.fixed_time or dt.datetime.now(dt.timezone.utc)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "Settings":
        def read(name: str, parse: Callable[[str], T]) -> T:
            raw = (environ.get(name) or "").strip() or DEFAULTS[name]
            try:
                return parse(raw)
            except ValueError:
                raise SettingsError(f"{name}: {raw!r} is not {_KINDS.get(parse, 'valid')}") from None

        content = read("CONTENT_DIR", _path)

        def in_content(name: str) -> Path:
            # unset: the file of that name in CONTENT_DIR, wherever that is
            given = (environ.get(name) or "").strip()
            return _path(given) if given else content / Path(DEFAULTS[name]).name

        cache = environ.get("SENTENCE_VECTOR_CACHE")
        return cls(
            content_dir=content,
            events_file=in_content("EVENTS_FILE"),
            principles_file=in_content("PRINCIPLES_FILE"),
            knowledge_dir=in_content("KNOWLEDGE_DIR"),
            registration_service_url=read("REGISTRATION_SERVICE_URL", _url),
            registration_service_token=read("REGISTRATION_SERVICE_TOKEN", str),
            registration_connect_timeout=read("REGISTRATION_CONNECT_TIMEOUT", _positive_float),
            registration_read_timeout=read("REGISTRATION_READ_TIMEOUT", _positive_float),
            registration_retries=read("REGISTRATION_RETRIES", _non_negative_int),
            registration_backoff=read("REGISTRATION_BACKOFF", _non_negative_float),
            channel_max_message_chars=read("CHANNEL_MAX_MESSAGE_CHARS", _positive_int),
            channel_rate_limit_messages=read("CHANNEL_RATE_LIMIT_MESSAGES", _positive_int),
            channel_rate_limit_seconds=read("CHANNEL_RATE_LIMIT_SECONDS", _positive_float),
            sentence_vector_threads=read("SENTENCE_VECTOR_THREADS", _positive_int),
            sentence_vector_cache=None if cache is not None and not cache.strip()
            else read("SENTENCE_VECTOR_CACHE", _path),
            stats_token=(environ.get("STATS_TOKEN") or "").strip(),
            fixed_time=_moment(environ["FIXED_TIME"]) if (environ.get("FIXED_TIME") or "").strip() else None,
            messages_to=read("MESSAGES_TO", _address),
            smtp_host=read("SMTP_HOST", str),
            smtp_port=read("SMTP_PORT", _positive_int),
            smtp_starttls=read("SMTP_STARTTLS", _bool),
            smtp_user=(environ.get("SMTP_USER") or "").strip(),
            smtp_password=environ.get("SMTP_PASSWORD") or "",
            smtp_from=read("SMTP_FROM", _address),
            smtp_timeout=read("SMTP_TIMEOUT", _positive_float),
        )


# Every variable and its default, as .env.example and the README write it (paths relative
# to the project; EVENTS_FILE, PRINCIPLES_FILE and KNOWLEDGE_DIR within CONTENT_DIR).
DEFAULTS: Dict[str, str] = {
    "CONTENT_DIR": "content",
    "EVENTS_FILE": "content/events.yml",
    "PRINCIPLES_FILE": "content/principles.yml",
    "KNOWLEDGE_DIR": "content/knowledge",
    "REGISTRATION_SERVICE_URL": "http://127.0.0.1:8000",
    "REGISTRATION_SERVICE_TOKEN": "dev-service-token-change-me",
    "REGISTRATION_CONNECT_TIMEOUT": "2",
    "REGISTRATION_READ_TIMEOUT": "4",
    "REGISTRATION_RETRIES": "2",
    "REGISTRATION_BACKOFF": "0.5",
    "CHANNEL_MAX_MESSAGE_CHARS": "1000",
    "CHANNEL_RATE_LIMIT_MESSAGES": "30",
    "CHANNEL_RATE_LIMIT_SECONDS": "60",
    "SENTENCE_VECTOR_THREADS": "1",
    "SENTENCE_VECTOR_CACHE": ".cache/sentence-vectors.sqlite",
    "FIXED_TIME": "",
    "STATS_TOKEN": "",
    "MESSAGES_TO": "",
    "SMTP_HOST": "127.0.0.1",
    "SMTP_PORT": "25",
    "SMTP_STARTTLS": "false",
    "SMTP_USER": "",
    "SMTP_PASSWORD": "",
    "SMTP_FROM": "assistant@localhost",
    "SMTP_TIMEOUT": "10",
}


def load() -> Settings:
    """The settings of this process, from its environment."""
    return Settings.from_env(os.environ)
