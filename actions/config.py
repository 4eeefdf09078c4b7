"""Settings of the action server, read once from the environment, with safe defaults."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", PROJECT_DIR / "content"))
EVENTS_FILE = Path(os.environ.get("EVENTS_FILE", CONTENT_DIR / "events.yml"))
PRINCIPLES_FILE = Path(os.environ.get("PRINCIPLES_FILE", CONTENT_DIR / "principles.yml"))

# The registration service (backend/). The default token is the service's development
# token; the service refuses it outside development mode.
REGISTRATION_SERVICE_URL = os.environ.get("REGISTRATION_SERVICE_URL", "http://127.0.0.1:8000").rstrip("/")
REGISTRATION_SERVICE_TOKEN = os.environ.get("REGISTRATION_SERVICE_TOKEN", "dev-service-token-change-me")
REGISTRATION_CONNECT_TIMEOUT = float(os.environ.get("REGISTRATION_CONNECT_TIMEOUT", "2"))
REGISTRATION_READ_TIMEOUT = float(os.environ.get("REGISTRATION_READ_TIMEOUT", "4"))
REGISTRATION_RETRIES = int(os.environ.get("REGISTRATION_RETRIES", "2"))
REGISTRATION_BACKOFF = float(os.environ.get("REGISTRATION_BACKOFF", "0.5"))
