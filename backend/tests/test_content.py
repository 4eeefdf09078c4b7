from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.content import ContentError, load_events
from app.core.config import DEFAULT_EVENTS_FILE


def test_the_real_content_file_loads() -> None:
    events = load_events(DEFAULT_EVENTS_FILE)
    assert events, "content/events.yml lists no event"
    for event in events:
        assert event.title.ka and event.title.en and event.venue.ka and event.venue.en


def test_fields_are_read(events_file: Path) -> None:
    events = {event.id: event for event in load_events(events_file)}
    assert events["open-event"].capacity == 3 and events["open-event"].year == 2099
    assert events["unlimited-event"].capacity is None and events["unlimited-event"].year is None
    assert events["past-deadline-event"].registration_deadline == dt.date(2001, 1, 1)
    assert events["closed-event"].registration_open is False


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("events: [", "not valid YAML"),
        ("current: x\n", "non-empty `events:` list"),
        ("events:\n  - id: a\n", "event #1"),
        (
            "events:\n"
            "  - {id: a, title: {ka: ა, en: a}, venue: {ka: ა, en: a}, start: '13-01', end: '01-01'}\n",
            "not a real date",
        ),
        (
            "events:\n"
            "  - {id: a, title: {ka: ა, en: a}, venue: {ka: ა, en: a}, start: '01-01', end: '01-01'}\n"
            "  - {id: a, title: {ka: ა, en: a}, venue: {ka: ა, en: a}, start: '01-01', end: '01-01'}\n",
            "appears twice",
        ),
    ],
)
def test_a_broken_file_is_reported(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "events.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=problem):
        load_events(path)


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="cannot read"):
        load_events(tmp_path / "missing.yml")
