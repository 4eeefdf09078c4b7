"""Settings of the action server: a view of the assistant's settings
(components/settings.py), read once from the environment when the server starts; a bad
value stops it with an error naming the variable."""

from __future__ import annotations

from components.settings import PROJECT_DIR, Settings

_settings = Settings.from_env()

__all__ = ["PROJECT_DIR", "CONTENT_DIR", "EVENTS_FILE", "PRINCIPLES_FILE", "REGISTRATION_SERVICE_URL",
           "REGISTRATION_SERVICE_TOKEN", "REGISTRATION_CONNECT_TIMEOUT", "REGISTRATION_READ_TIMEOUT",
           "REGISTRATION_RETRIES", "REGISTRATION_BACKOFF"]

CONTENT_DIR = _settings.content_dir
EVENTS_FILE = _settings.events_file
PRINCIPLES_FILE = _settings.principles_file

# The registration service (backend/). The default token is the service's development
# token; the service refuses it outside development mode.
REGISTRATION_SERVICE_URL = _settings.registration_service_url
REGISTRATION_SERVICE_TOKEN = _settings.registration_service_token
REGISTRATION_CONNECT_TIMEOUT = _settings.registration_connect_timeout
REGISTRATION_READ_TIMEOUT = _settings.registration_read_timeout
REGISTRATION_RETRIES = _settings.registration_retries
REGISTRATION_BACKOFF = _settings.registration_backoff
