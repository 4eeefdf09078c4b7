"""Reads the events from the content file (content/events.yml), the one source of truth.

The file is read by the shared package (`avatar_shared.events`), as the assistant reads
it: one shape, one set of defaults (a missing `registration_open` is closed for both).
This module keeps what the service needs of each event, as a pydantic model.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from avatar_shared.events import ContentError, Event, read_events
from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ContentError", "EventContent", "LocalisedText", "load_events"]


class LocalisedText(BaseModel):
    model_config = ConfigDict(extra="ignore")

    ka: str = Field(min_length=1)
    en: str = Field(min_length=1)


class EventContent(BaseModel):
    """What the service keeps of an event (its table `events`)."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: LocalisedText
    start: str  # "MM-DD"
    end: str
    year: int | None
    venue: LocalisedText
    registration_open: bool
    registration_deadline: dt.date | None
    capacity: int | None

    @classmethod
    def of(cls, event: Event) -> EventContent:
        return cls(
            id=event.id,
            title=LocalisedText(**event.title),
            start=Event.month_day(event.start),
            end=Event.month_day(event.end),
            year=event.year,
            venue=LocalisedText(**event.venue),
            registration_open=event.registration_open,
            registration_deadline=event.registration_deadline,
            capacity=event.capacity,
        )


def load_events(path: Path) -> list[EventContent]:
    """The events of the content file at `path`, in file order; ContentError when the
    file is missing or broken (the message names the event and the field)."""
    return [EventContent.of(event) for event in read_events(path).events.values()]
