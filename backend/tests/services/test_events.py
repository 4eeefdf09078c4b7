from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from app.content import load_events
from app.core.db import Database
from app.models import Event, Registration, utcnow
from app.services.events import registration_is_open, sync_events
from tests.conftest import TEST_EVENTS_YAML


def event(**overrides) -> Event:
    values = dict(
        id="e",
        title_ka="ა",
        title_en="a",
        start="01-01",
        end="01-01",
        year=None,
        venue_ka="ა",
        venue_en="a",
        registration_open=True,
        registration_deadline=None,
        capacity=None,
        listed=True,
        position=0,
    )
    values.update(overrides)
    return Event(**values)


def test_the_deadline_day_itself_is_still_open() -> None:
    today = dt.date(2030, 5, 20)
    assert registration_is_open(event(registration_deadline=today), today)
    assert not registration_is_open(
        event(registration_deadline=today - dt.timedelta(days=1)), today
    )
    assert not registration_is_open(event(registration_open=False), today)
    assert not registration_is_open(event(listed=False), today)


def stored_events(db: Database) -> dict[str, Event]:
    with db.session() as session:
        return {item.id: item for item in session.scalars(select(Event))}


def test_sync_updates_inserts_and_unlists(db: Database, tmp_path: Path) -> None:
    changed = (
        TEST_EVENTS_YAML.replace('en: "Open event"', 'en: "Renamed"')
        .replace(
            "  - id: closed-event",
            "  - id: brand-new\n    title: {ka: ა, en: New}\n    start: '10-01'\n"
            "    end: '10-02'\n    venue: {ka: ა, en: a}\n    registration_open: true\n  - id: closed-event",
        )
        .split("  - id: past-deadline-event")[0]
    )
    path = tmp_path / "events.yml"
    path.write_text(changed, encoding="utf-8")

    sync_events(db, load_events(path))

    events = stored_events(db)
    assert events["open-event"].title_en == "Renamed"
    assert events["brand-new"].listed and events["brand-new"].capacity is None
    assert (
        events["past-deadline-event"].listed is False
    )  # left the file, kept for its registrations
    assert [e.id for e in sorted(events.values(), key=lambda e: e.position) if e.listed] == [
        "open-event",
        "unlimited-event",
        "full-event",
        "brand-new",
        "closed-event",
    ]


def test_a_larger_capacity_moves_the_waitlist_up(db: Database, tmp_path: Path) -> None:
    now = utcnow()
    with db.write_session() as session:
        for number in range(3):
            session.add(
                Registration(
                    confirmation_code=f"WAIT{number + 2}XYZ",
                    idempotency_key=f"k{number}",
                    event_id="full-event",
                    full_name="A B",
                    email=f"p{number}@example.org",
                    language="en",
                    status="waitlisted",
                    consent_given_at=now,
                    created_at=now + dt.timedelta(seconds=number),
                    updated_at=now,
                )
            )
    path = tmp_path / "events.yml"
    path.write_text(TEST_EVENTS_YAML.replace("capacity: 0", "capacity: 2"), encoding="utf-8")

    sync_events(db, load_events(path))

    with db.session() as session:
        statuses = session.scalars(
            select(Registration.status).order_by(Registration.created_at)
        ).all()
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
