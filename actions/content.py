"""The maintainer-editable content: the event (content/events.yml) and the words that
name each of the 12 principles (content/principles.yml).

Files are re-read when they change, so an edit reaches the answers without retraining or
restarting. A broken file raises ContentError naming the file and the field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Optional

import yaml

from actions import config
from components.georgian import ENGLISH, GEORGIAN, LANGUAGES

_MONTHS = {
    GEORGIAN: ("იანვარი", "თებერვალი", "მარტი", "აპრილი", "მაისი", "ივნისი", "ივლისი",
               "აგვისტო", "სექტემბერი", "ოქტომბერი", "ნოემბერი", "დეკემბერი"),
    ENGLISH: ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"),
}
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


class ContentError(ValueError):
    """A content file is missing or does not have the expected shape."""


@dataclass(frozen=True)
class Event:
    id: str
    title: Dict[str, str]
    start: tuple[int, int]  # (month, day)
    end: tuple[int, int]
    year: Optional[int]
    venue: Dict[str, str]
    agenda_url: Optional[str]
    registration_url: Optional[str]
    registration_open: bool
    registration_deadline: Optional[dt.date]
    capacity: Optional[int]
    # where citizens ask what the content does not say: the organisers' e-mail or page,
    # else the registration page, else the project's website
    contact_email: Optional[str] = None
    contact_url: Optional[str] = None
    website: Optional[str] = None
    # what citizens ask (fee, languages, streaming, ...): a text per language, or None
    # while the organisers have not published it
    facts: Dict[str, Optional[Dict[str, str]]] = field(default_factory=dict)

    def fact(self, name: str, language: str) -> Optional[str]:
        value = self.facts.get(name)
        return value[language] if value else None

    def where_to_ask(self, language: str) -> str:
        """Whom to ask and how, to follow "Ask ..." / "მიმართეთ ...": the organisers'
        e-mail or page, else the registration page, else the project's website."""
        ka = language == GEORGIAN
        if self.contact_email:
            return f"ორგანიზატორებს ელფოსტით: {self.contact_email}" if ka else f"the organisers at {self.contact_email}"
        for url, ka_via, en_via in ((self.contact_url, "მათი გვერდის", "their page"),
                                    (self.registration_url, "რეგისტრაციის გვერდის", "the registration page"),
                                    (self.website, "პროექტის ვებგვერდის", "the project's website")):
            if url:
                return f"ორგანიზატორებს {ka_via} გავლით: {url}" if ka else f"the organisers through {en_via}, {url}"
        return nobody_to_ask(language)

    def is_registration_open(self, today: Optional[dt.date] = None) -> bool:
        today = today or dt.date.today()
        if not self.registration_open:
            return False
        return self.registration_deadline is None or today <= self.registration_deadline

    def dates(self, language: str) -> str:
        """"24–27 May" / "24–27 მაისი", with the year only when the content sets one."""
        (start_month, start_day), (end_month, end_day) = self.start, self.end
        months = _MONTHS[language]
        if self.start == self.end:
            days = f"{start_day} {months[start_month - 1]}"
        elif start_month == end_month:
            days = f"{start_day}–{end_day} {months[start_month - 1]}"
        else:
            days = f"{start_day} {months[start_month - 1]} – {end_day} {months[end_month - 1]}"
        if self.year is None:
            return days
        return f"{self.year} წლის {days}" if language == GEORGIAN else f"{days} {self.year}"

    def deadline(self, language: str) -> Optional[str]:
        if self.registration_deadline is None:
            return None
        d = self.registration_deadline
        month = _MONTHS[language][d.month - 1]
        return f"{d.year} წლის {d.day} {month}" if language == GEORGIAN else f"{d.day} {month} {d.year}"


def nobody_to_ask(language: str) -> str:
    """Where to ask when the content names no contact at all."""
    return "ღონისძიების ორგანიზატორებს" if language == GEORGIAN else "the event's organisers"


def _localised(raw: Dict[str, Any], field: str, path: Path) -> Dict[str, str]:
    value = raw.get(field)
    if not isinstance(value, dict) or any(not value.get(lang) for lang in LANGUAGES):
        raise ContentError(f"{path}: '{field}' needs a text for each of {', '.join(LANGUAGES)}")
    return {lang: str(value[lang]) for lang in LANGUAGES}


def _month_day(raw: Dict[str, Any], field: str, path: Path) -> tuple[int, int]:
    match = _MONTH_DAY.match(str(raw.get(field, "")))
    if not match:
        raise ContentError(f"{path}: '{field}' must be a month and day like \"05-24\"")
    month, day = int(match.group(1)), int(match.group(2))
    try:
        dt.date(2000, month, day)  # a leap year, so 02-29 passes
    except ValueError:
        raise ContentError(f"{path}: '{field}' is not a real date: {raw.get(field)}") from None
    return month, day


def _optional_url(raw: Dict[str, Any], field: str, path: Path) -> Optional[str]:
    value = raw.get(field)
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not re.match(r"^https?://\S+$", value):
        raise ContentError(f"{path}: '{field}' must be an http(s) address or empty")
    return value


def parse_event(raw: Dict[str, Any], path: Path) -> Event:
    if not isinstance(raw, dict) or not raw.get("id"):
        raise ContentError(f"{path}: every event needs an 'id'")
    year = raw.get("year")
    if year is not None and (not isinstance(year, int) or not 2000 <= year <= 2100):
        raise ContentError(f"{path}: 'year' must be a year like 2027, or empty")
    deadline = raw.get("registration_deadline")
    if deadline is not None and not isinstance(deadline, dt.date):
        try:
            deadline = dt.date.fromisoformat(str(deadline))
        except ValueError:
            raise ContentError(f"{path}: 'registration_deadline' must be YYYY-MM-DD or empty") from None
    capacity = raw.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or capacity < 0):
        raise ContentError(f"{path}: 'capacity' must be a whole number or empty")
    contact = raw.get("contact") or {}
    if not isinstance(contact, dict):
        raise ContentError(f"{path}: 'contact' has 'email' and 'url', each may be empty")
    email = contact.get("email") or None
    if email is not None and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", str(email)):
        raise ContentError(f"{path}: 'contact.email' must be an e-mail address or empty")
    facts_raw = raw.get("facts") or {}
    if not isinstance(facts_raw, dict):
        raise ContentError(f"{path}: 'facts' maps a fact's name to a text in each language (or empty)")
    facts = {str(name): (_localised(facts_raw, name, path) if facts_raw.get(name) else None)
             for name in facts_raw}
    # missing or empty: closed, as the registration service reads it (backend/app/content.py);
    # open here and closed there let a citizen fill in the whole form and then be refused
    registration_open = False if raw.get("registration_open") is None else raw["registration_open"]
    if not isinstance(registration_open, bool):
        raise ContentError(f"{path}: 'registration_open' must be true or false")
    event = Event(
        id=str(raw["id"]),
        title=_localised(raw, "title", path),
        start=_month_day(raw, "start", path),
        end=_month_day(raw, "end", path),
        year=year,
        venue=_localised(raw, "venue", path),
        agenda_url=_optional_url(raw, "agenda_url", path),
        registration_url=_optional_url(raw, "registration_url", path),
        registration_open=registration_open,
        registration_deadline=deadline,
        capacity=capacity,
        contact_email=email,
        contact_url=_optional_url(contact, "url", path),
        website=_optional_url(raw, "website", path),
        facts=facts,
    )
    if event.end < event.start:
        raise ContentError(f"{path}: 'end' comes before 'start'")
    return event


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{path}: file not found") from None
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: not valid YAML: {error}") from None


def parse_events(path: Path) -> Dict[str, Any]:
    data = _read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("events"), list) or not data["events"]:
        raise ContentError(f"{path}: needs a non-empty 'events' list")
    events = [parse_event(raw, path) for raw in data["events"]]
    by_id = {event.id: event for event in events}
    if len(by_id) != len(events):
        raise ContentError(f"{path}: two events share an id")
    current = data.get("current", events[0].id)
    if current not in by_id:
        raise ContentError(f"{path}: 'current' names no event: {current}")
    return {"current": by_id[current], "events": by_id}


def parse_principles(path: Path) -> Dict[int, Dict[str, Any]]:
    data = _read_yaml(path)
    principles = (data or {}).get("principles") if isinstance(data, dict) else None
    if not isinstance(principles, dict) or sorted(map(int, principles)) != list(range(1, 13)):
        raise ContentError(f"{path}: 'principles' must list keywords for 1 to 12")
    result = {}
    for number, keywords in principles.items():
        if not isinstance(keywords, dict) or not all(keywords.get(lang) for lang in LANGUAGES):
            raise ContentError(f"{path}: principle {number} needs 'ka' and 'en' keywords")
        wins_over = keywords.get("wins_over") or []
        if not all(isinstance(n, int) and 1 <= n <= 12 for n in wins_over):
            raise ContentError(f"{path}: principle {number}: 'wins_over' lists principle numbers")
        result[int(number)] = {
            **{lang: [str(k) for k in keywords[lang]] for lang in LANGUAGES},
            "wins_over": list(wins_over),
        }
    return result


_cache: Dict[Path, tuple[float, Any]] = {}


def _cached(path: Path, parse: Callable[[Path], Any]) -> Any:
    """Parse ``path`` again only when it changed since the last read."""
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        raise ContentError(f"{path}: file not found") from None
    hit = _cache.get(path)
    if hit is None or hit[0] != mtime:
        hit = (mtime, parse(path))
        _cache[path] = hit
    return hit[1]


def current_event() -> Event:
    return _cached(config.EVENTS_FILE, parse_events)["current"]


def principle_keywords() -> Dict[int, Dict[str, Any]]:
    return _cached(config.PRINCIPLES_FILE, parse_principles)
