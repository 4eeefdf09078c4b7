"""The settings, read one way on each side (components/settings.py for the assistant,
backend/app/core/config.py for the service), and their documentation: .env.example, the
README and the service's README must give the defaults the code has."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from channels.guard import GuardSettings
from components.settings import DEFAULTS, Settings, SettingsError

PROJECT_DIR = Path(__file__).resolve().parent.parent
DOCUMENTS = [".env.example", "README.md", "backend/README.md"]
# the service's variables that the project's documents write differently on purpose: its
# own folder's paths and port (the project's are var/, content/, REGISTRATION_SERVICE_PORT)
SERVICE_OWN = {"DATABASE_URL", "EVENTS_FILE", "HOST", "PORT"}


def documented_values(path: Path) -> dict[str, str]:
    """NAME -> value from `NAME=value` lines (.env.example; commented-out ones too) and from
    table rows "| `A`, `B` | `1`, `2` | ..." (the READMEs); rows written for people
    ("64 KiB", "`1` (training: ...)") are skipped."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        assignment = re.fullmatch(r"#? ?([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if assignment:
            values[assignment[1]] = assignment[2]
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        names = re.findall(r"`([A-Z][A-Z0-9_]*)`", cells[0])
        defaults = [item.strip() for item in cells[1].split(",")] if len(cells) > 1 else []
        if names and len(names) == len(defaults) and all(re.fullmatch(r"`[^`]*`", d) for d in defaults):
            values.update(zip(names, (d.strip("`") for d in defaults), strict=True))
    return values


def service_defaults() -> dict[str, str]:
    """The service's defaults, from its own environment (pydantic 2)."""
    done = subprocess.run(
        [str(PROJECT_DIR / "backend" / ".venv" / "bin" / "python"), "-c",
         "import json; from app.core.config import Settings\n"
         "print(json.dumps({n.upper(): str(f.default) for n, f in Settings.model_fields.items()}))"],
        cwd=PROJECT_DIR / "backend", capture_output=True, text=True, timeout=60, check=True)
    return {name: value for name, value in json.loads(done.stdout).items() if name not in SERVICE_OWN}


@pytest.mark.parametrize("document", DOCUMENTS)
def test_documented_defaults_are_the_code_defaults(document):
    """.env.example and the README said 3000 ms for the service's lock timeout, the code
    5000: longer than the action server's read timeout, which then gave up first."""
    documented = documented_values(PROJECT_DIR / document)
    # the service's README documents the service alone
    code = service_defaults() if document.startswith("backend/") else {**DEFAULTS, **service_defaults()}
    compared = {name: value for name, value in documented.items() if name in code}
    assert compared, f"{document} documents no setting"
    assert {name: code[name] for name in compared} == compared


def test_every_assistant_setting_is_in_env_example():
    assert set(DEFAULTS) <= set(documented_values(PROJECT_DIR / ".env.example"))


def test_the_defaults_are_what_an_empty_environment_gives():
    settings = Settings.from_env({})
    assert settings.events_file == PROJECT_DIR / DEFAULTS["EVENTS_FILE"]
    assert settings.registration_read_timeout == float(DEFAULTS["REGISTRATION_READ_TIMEOUT"])
    assert settings.channel_max_message_chars == int(DEFAULTS["CHANNEL_MAX_MESSAGE_CHARS"])
    assert Settings.from_env({"CONTENT_DIR": "/srv/town"}).knowledge_dir == Path("/srv/town/knowledge")
    assert Settings.from_env({"SENTENCE_VECTOR_CACHE": ""}).sentence_vector_cache is None
    assert Settings.from_env({}).fixed_time is None and Settings.from_env({}).now().tzinfo is not None
    fixed = Settings.from_env({"FIXED_TIME": "2027-05-24T15:00:00+02:00"})
    assert fixed.now().isoformat() == "2027-05-24T15:00:00+02:00"
    assert Settings.from_env({"REGISTRATION_SERVICE_URL": "https://reg.example.org/"}).registration_service_url \
        == "https://reg.example.org"


@pytest.mark.parametrize("name, value", [
    ("REGISTRATION_READ_TIMEOUT", "four"),
    ("REGISTRATION_RETRIES", "-1"),
    ("REGISTRATION_SERVICE_URL", "localhost:8000"),
    ("CHANNEL_MAX_MESSAGE_CHARS", "-3"),
    ("CHANNEL_RATE_LIMIT_MESSAGES", "many"),
    ("SENTENCE_VECTOR_THREADS", "0"),
    ("REGISTRATION_CONNECT_TIMEOUT", "nan"),
    ("FIXED_TIME", "tomorrow at three"),
    ("FIXED_TIME", "2027-05-24T15:00:00"),  # no offset: which "now" would that be?
])
def test_a_bad_value_is_an_error_that_names_the_variable(name, value):
    with pytest.raises(SettingsError, match=f"^{name}: '{re.escape(value)}' is not "):
        Settings.from_env({name: value})


def test_the_channels_read_their_limits_from_the_settings():
    assert GuardSettings.from_env({}) == GuardSettings(1000, 30, 60.0)
    assert GuardSettings.from_env({"CHANNEL_MAX_MESSAGE_CHARS": "200", "CHANNEL_RATE_LIMIT_MESSAGES": "5",
                                   "CHANNEL_RATE_LIMIT_SECONDS": "10"}) == GuardSettings(200, 5, 10.0)
    with pytest.raises(SettingsError, match="CHANNEL_MAX_MESSAGE_CHARS"):
        GuardSettings.from_env({"CHANNEL_MAX_MESSAGE_CHARS": "-3"})
