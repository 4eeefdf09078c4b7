"""The maintainer-editable content: the event (content/events.yml) and the words that
name each of the 12 principles (content/principles.yml).

Files are re-read when they change, so an edit reaches the answers without retraining or
restarting. A broken file raises ContentError naming the file and the field.
"""

from __future__ import annotations

import logging

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Optional

import yaml
from avatar_shared import events as shared_events
from avatar_shared.events import ContentError

from actions import config
from components.georgian import ENGLISH, GEORGIAN, LANGUAGES

__all__ = ["ContentError", "Event", "current_event", "nobody_to_ask", "parse_events", "parse_principles",
           "principle_keywords"]

_MONTHS = {
    GEORGIAN: ("იანვარი", "თებერვალი", "მარტი", "აპრილი", "მაისი", "ივნისი", "ივლისი",
               "აგვისტო", "სექტემბერი", "ოქტომბერი", "ნოემბერი", "დეკემბერი"),
    ENGLISH: ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"),
}


@dataclass(frozen=True)
class Event(shared_events.Event):
    """An event of content/events.yml (read by avatar_shared.events, as the registration
    service reads it), with how the assistant words its dates, deadline and contact."""

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


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{path}: file not found") from None
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: not valid YAML: {error}") from None


def parse_events(path: Path) -> Dict[str, Any]:
    """{"current": the event answers are about, "events": {id: event}}."""
    read = shared_events.read_events(path, Event)
    return {"current": read.current, "events": read.events}


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


def where_to_ask(language: str) -> str:
    """Whom to ask what the assistant cannot answer: the current event's organisers, and
    still the organisers in general when the event file cannot be read (logged)."""
    try:
        return current_event().where_to_ask(language)
    except ContentError as error:
        logging.getLogger(__name__).error("Event content unusable: %s", error)
        return nobody_to_ask(language)


def principle_keywords() -> Dict[int, Dict[str, Any]]:
    return _cached(config.PRINCIPLES_FILE, parse_principles)
