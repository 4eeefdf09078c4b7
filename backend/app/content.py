"""Reads the events from the content file (content/events.yml), the one source of truth.

Only the keys this service needs are checked; other keys (links, `current`) are left to
the assistant, so the file can grow without breaking the service.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.schemas import EVENT_ID_PATTERN

_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


class ContentError(Exception):
    """The content file is missing or does not have the expected shape."""


class LocalisedText(BaseModel):
    model_config = ConfigDict(extra="ignore")

    ka: str = Field(min_length=1)
    en: str = Field(min_length=1)


class EventContent(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1, max_length=100, pattern=EVENT_ID_PATTERN)
    title: LocalisedText
    start: str
    end: str
    year: int | None = None
    venue: LocalisedText
    registration_open: bool = False
    registration_deadline: dt.date | None = None
    capacity: int | None = Field(default=None, ge=0)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _month_day(cls, value: object) -> str:
        text = str(value).strip() if value is not None else ""
        match = _MONTH_DAY.match(text)
        if not match:
            raise ValueError('expected a month-day "MM-DD"')
        month, day = int(match.group(1)), int(match.group(2))
        try:
            dt.date(2000, month, day)  # a leap year, so 02-29 is accepted
        except ValueError as error:
            raise ValueError(f"not a date: {text}") from error
        return text

    @field_validator("registration_open", mode="before")
    @classmethod
    def _empty_is_closed(cls, value: object) -> object:
        return False if value is None else value


def load_events(path: Path) -> list[EventContent]:
    """The events of the content file at `path`, in file order."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ContentError(f"cannot read the events file {path}: {error}") from error
    except yaml.YAMLError as error:
        raise ContentError(f"the events file {path} is not valid YAML: {error}") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("events"), list):
        raise ContentError(f"the events file {path} has no `events:` list")
    events: list[EventContent] = []
    seen: set[str] = set()
    for position, item in enumerate(raw["events"]):
        try:
            event = EventContent.model_validate(item)
        except ValidationError as error:
            raise ContentError(f"event #{position + 1} in {path} is invalid: {error}") from error
        if event.id in seen:
            raise ContentError(f"event id {event.id!r} appears twice in {path}")
        seen.add(event.id)
        events.append(event)
    return events
