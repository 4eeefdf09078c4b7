"""The event file (content/events.yml): its shape, its defaults and its checks, read the
same way by the assistant (answers, the registration form) and by the registration
service (which events take registrations, until when, for how many).

Two readings of one file disagreed once: an event without `registration_open` was open
for the assistant and closed for the service, so a citizen filled in the whole form and
was then refused. Here a missing or empty `registration_open` is closed, for both.

A broken file raises ContentError naming the file, the event and the field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Optional, Tuple, Type, TypeVar

import yaml

LANGUAGES = ("ka", "en")
# an event id: letters and digits first, then also "_", "." and "-" (the service's URLs)
EVENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
_URL = re.compile(r"^https?://\S+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ContentError(ValueError):
    """The event file is missing or does not have the expected shape."""


def registration_open_on(registration_open: bool, deadline: Optional[dt.date], today: dt.date) -> bool:
    """Open when the file says so and the deadline (a whole day, inclusive) has not passed."""
    return registration_open and (deadline is None or today <= deadline)


@dataclass(frozen=True)
class Event:
    id: str
    title: Dict[str, str]  # {"ka": ..., "en": ...}
    start: Tuple[int, int]  # (month, day)
    end: Tuple[int, int]
    year: Optional[int]  # None: no year is named
    venue: Dict[str, str]
    agenda_url: Optional[str]
    registration_url: Optional[str]
    registration_open: bool  # missing or empty in the file: False
    registration_deadline: Optional[dt.date]
    capacity: Optional[int]  # None: no limit
    # where citizens ask what the content does not say
    contact_email: Optional[str] = None
    contact_url: Optional[str] = None
    website: Optional[str] = None
    # what citizens ask (fee, languages, streaming, ...): a text per language, or None
    # while the organisers have not published it
    facts: Dict[str, Optional[Dict[str, str]]] = field(default_factory=dict)

    def is_registration_open(self, today: Optional[dt.date] = None) -> bool:
        return registration_open_on(self.registration_open, self.registration_deadline, today or dt.date.today())

    @staticmethod
    def month_day(value: Tuple[int, int]) -> str:
        """(5, 24) -> "05-24", as the file writes it."""
        return f"{value[0]:02d}-{value[1]:02d}"


E = TypeVar("E", bound=Event)


@dataclass(frozen=True)
class EventFile:
    current: Event  # the event the assistant talks about (`current:`, else the first)
    events: Dict[str, Event]  # by id, in file order


def _localised(raw: Dict[str, Any], name: str, where: str) -> Dict[str, str]:
    value = raw.get(name)
    if not isinstance(value, dict) or any(not value.get(lang) for lang in LANGUAGES):
        raise ContentError(f"{where}: '{name}' needs a text for each of {', '.join(LANGUAGES)}")
    return {lang: str(value[lang]) for lang in LANGUAGES}


def _month_day(raw: Dict[str, Any], name: str, where: str) -> Tuple[int, int]:
    match = _MONTH_DAY.match(str(raw.get(name, "")).strip())
    if not match:
        raise ContentError(f"{where}: '{name}' must be a month and day like \"05-24\"")
    month, day = int(match.group(1)), int(match.group(2))
    try:
        dt.date(2000, month, day)  # a leap year, so 02-29 passes
    except ValueError:
        raise ContentError(f"{where}: '{name}' is not a real date: {raw.get(name)}") from None
    return month, day


def _optional_url(raw: Dict[str, Any], name: str, where: str) -> Optional[str]:
    value = raw.get(name)
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _URL.match(value):
        raise ContentError(f"{where}: '{name}' must be an http(s) address or empty")
    return value


def parse_event(raw: Any, where: str, event_class: Type[E]) -> E:
    """One event of the file; `where` names it in errors ("content/events.yml: event #2")."""
    if not isinstance(raw, dict) or not EVENT_ID.match(str(raw.get("id") or "")):
        raise ContentError(
            f"{where}: 'id' must be letters, digits, '_', '.' or '-' (at most 100), " f"starting with a letter or digit"
        )
    where = f"{where} ('{raw['id']}')"
    year = raw.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100):
        raise ContentError(f"{where}: 'year' must be a year like 2027, or empty")
    deadline = raw.get("registration_deadline")
    if deadline is not None and not isinstance(deadline, dt.date):
        try:
            deadline = dt.date.fromisoformat(str(deadline))
        except ValueError:
            raise ContentError(f"{where}: 'registration_deadline' must be YYYY-MM-DD or empty") from None
    capacity = raw.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 0):
        raise ContentError(f"{where}: 'capacity' must be a whole number, 0 or more, or empty")
    contact = raw.get("contact") or {}
    if not isinstance(contact, dict):
        raise ContentError(f"{where}: 'contact' has 'email' and 'url', each may be empty")
    email = contact.get("email") or None
    if email is not None and not _EMAIL.match(str(email)):
        raise ContentError(f"{where}: 'contact.email' must be an e-mail address or empty")
    facts_raw = raw.get("facts") or {}
    if not isinstance(facts_raw, dict):
        raise ContentError(f"{where}: 'facts' maps a fact's name to a text in each language (or empty)")
    facts = {str(name): (_localised(facts_raw, name, where) if facts_raw.get(name) else None) for name in facts_raw}
    registration_open = raw.get("registration_open")
    registration_open = False if registration_open is None else registration_open
    if not isinstance(registration_open, bool):
        raise ContentError(f"{where}: 'registration_open' must be true or false")
    event = event_class(
        id=str(raw["id"]),
        title=_localised(raw, "title", where),
        start=_month_day(raw, "start", where),
        end=_month_day(raw, "end", where),
        year=year,
        venue=_localised(raw, "venue", where),
        agenda_url=_optional_url(raw, "agenda_url", where),
        registration_url=_optional_url(raw, "registration_url", where),
        registration_open=registration_open,
        registration_deadline=deadline,
        capacity=capacity,
        contact_email=str(email) if email else None,
        contact_url=_optional_url(contact, "url", where),
        website=_optional_url(raw, "website", where),
        facts=facts,
    )
    if event.end < event.start:
        raise ContentError(f"{where}: 'end' comes before 'start'")
    return event


def read_events(path: Path, event_class: Type[E] = Event) -> EventFile:  # type: ignore[assignment]
    """The event file at `path`; events are made as `event_class` (a subclass may add
    how the assistant words them)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ContentError(f"{path}: cannot read the file ({error.strerror or error})") from None
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list) or not data["events"]:
        raise ContentError(f"{path}: needs a non-empty `events:` list")
    events: Dict[str, Event] = {}
    for position, raw in enumerate(data["events"], start=1):
        event = parse_event(raw, f"{path}: event #{position}", event_class)
        if event.id in events:
            raise ContentError(f"{path}: event id '{event.id}' appears twice")
        events[event.id] = event
    current = data.get("current") or next(iter(events))
    if current not in events:
        raise ContentError(f"{path}: 'current' names no event: {current}")
    return EventFile(current=events[current], events=events)
