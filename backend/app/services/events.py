"""Events: copied from the content file into the `events` table, and shown publicly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from avatar_shared.events import registration_open_on
from sqlalchemy import func, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.content import EventContent
from app.core.db import Database
from app.models import STATUS_CONFIRMED, STATUS_WAITLISTED, Event, Registration, utcnow
from app.schemas import EventPublic, LocalisedText


def registration_is_open(event: Event, today: dt.date) -> bool:
    """Open when the content file says so, the event is still in it, and the deadline
    (a whole day, inclusive) has not passed."""
    return event.listed and registration_open_on(
        event.registration_open, event.registration_deadline, today
    )


def confirmed_count(session: Session, event_id: str) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.event_id == event_id, Registration.status == STATUS_CONFIRMED)
        )
        or 0
    )


def promote_waitlist(session: Session, event: Event) -> int:
    """Confirms the earliest waitlisted registrations while places are free.

    The caller holds the event's lock (SELECT ... FOR UPDATE, or SQLite's write lock).
    Returns how many were promoted.
    """
    waitlisted = (
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == STATUS_WAITLISTED)
        .order_by(Registration.created_at, Registration.id)
    )
    if event.capacity is not None:
        free = event.capacity - confirmed_count(session, event.id)
        if free <= 0:
            return 0
        waitlisted = waitlisted.limit(free)
    promoted = list(session.scalars(waitlisted))
    now = utcnow()
    for registration in promoted:
        registration.status = STATUS_CONFIRMED
        registration.updated_at = now
    return len(promoted)


def sync_events(db: Database, events: Iterable[EventContent]) -> None:
    """Inserts or updates every event of the content file; marks the others unlisted.

    Safe to run from several processes at once (an upsert per event). A larger capacity
    moves waitlisted people up; a smaller one demotes nobody.
    """
    events = list(events)
    now = utcnow()
    with db.write_session() as session:
        dialect = session.get_bind().dialect.name
        insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect]
        for position, event in enumerate(events):
            values = {
                "title_ka": event.title.ka,
                "title_en": event.title.en,
                "start": event.start,
                "end": event.end,
                "year": event.year,
                "venue_ka": event.venue.ka,
                "venue_en": event.venue.en,
                "registration_open": event.registration_open,
                "registration_deadline": event.registration_deadline,
                "capacity": event.capacity,
                "listed": True,
                "position": position,
                "synced_at": now,
            }
            statement = insert(Event).values(id=event.id, **values)
            # both dialects' insert has it; mypy sees the union of their return types
            upsert = statement.on_conflict_do_update(  # type: ignore[attr-defined]
                index_elements=["id"], set_=values
            )
            session.execute(upsert)
        listed_ids = [event.id for event in events]
        session.execute(
            update(Event)
            .where(Event.id.not_in(listed_ids) if listed_ids else true(), Event.listed.is_(True))
            .values(listed=False, synced_at=now)
            .execution_options(synchronize_session=False)
        )
        for event_id in listed_ids:
            row = session.scalar(select(Event).where(Event.id == event_id).with_for_update())
            if row is not None:
                promote_waitlist(session, row)


def public_events(session: Session, today: dt.date) -> list[EventPublic]:
    """The events of the content file, in its order, with registration state."""
    counts: dict[str, int] = {
        event_id: count
        for event_id, count in session.execute(
            select(Registration.event_id, func.count())
            .where(Registration.status == STATUS_CONFIRMED)
            .group_by(Registration.event_id)
        )
    }
    events = session.scalars(select(Event).where(Event.listed.is_(True)).order_by(Event.position))
    return [
        EventPublic(
            id=event.id,
            title=LocalisedText(ka=event.title_ka, en=event.title_en),
            start=event.start,
            end=event.end,
            year=event.year,
            venue=LocalisedText(ka=event.venue_ka, en=event.venue_en),
            registration_open=registration_is_open(event, today),
            registration_deadline=event.registration_deadline,
            places_left=None
            if event.capacity is None
            else max(event.capacity - counts.get(event.id, 0), 0),
        )
        for event in events
    ]
