"""Settings of the action server, read once from the environment, with safe defaults."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", PROJECT_DIR / "content"))
EVENTS_FILE = Path(os.environ.get("EVENTS_FILE", CONTENT_DIR / "events.yml"))
PRINCIPLES_FILE = Path(os.environ.get("PRINCIPLES_FILE", CONTENT_DIR / "principles.yml"))
