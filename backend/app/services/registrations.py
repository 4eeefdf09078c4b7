"""Registrations: create (idempotent), look up, cancel, erase, list.

Concurrency is settled by the database:
- the idempotency key and the confirmation code are unique columns, and one person
  (event, normalised email) has at most one active registration (a partial unique index
  on status confirmed/waitlisted);
- a registration locks its event row first (SELECT ... FOR UPDATE on PostgreSQL; on
  SQLite the transaction starts with BEGIN IMMEDIATE, which takes the write lock), so
  two requests never both take the last place;
- a unique violation that slips through (e.g. the same key for two different events at
  once) rolls everything back and is answered from the row that won.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

# the code's alphabet and shape: one definition for the service and the assistant
from avatar_shared.codes import new_code as new_confirmation_code
from avatar_shared.codes import normalise_code

from app.core.db import Database
from app.errors import ApiError, event_not_found, registration_not_found, service_unavailable
from app.models import (
    ACTIVE_STATUSES,
    STATUS_CANCELLED,
    STATUS_CONFIRMED,
    STATUS_ERASED,
    STATUS_WAITLISTED,
    Event,
    Registration,
    utcnow,
)
from app.schemas import RegistrationCreate
from app.services.events import confirmed_count, promote_waitlist, registration_is_open

_ATTEMPTS = 3


@dataclass
class Created:
    registration: Registration
    replayed: bool  # True when the same key and body were seen before


def _by_key(session: Session, key: str) -> Registration | None:
    return session.scalar(select(Registration).where(Registration.idempotency_key == key))


def _active(session: Session, event_id: str, email: str) -> Registration | None:
    return session.scalar(
        select(Registration).where(
            Registration.event_id == event_id,
            Registration.email == email,
            Registration.status.in_(ACTIVE_STATUSES),
        )
    )


def _replay(existing: Registration, fingerprint: str) -> Created:
    if existing.request_hash is not None and hmac.compare_digest(
        existing.request_hash, fingerprint
    ):
        return Created(existing, replayed=True)
    raise ApiError(
        409,
        "idempotency_key_reused",
        "This Idempotency-Key was already used with a different request body.",
    )


def _already_registered() -> ApiError:
    return ApiError(409, "already_registered", "This email is already registered for this event.")


def _unused_code(session: Session) -> str:
    for _ in range(10):
        code = new_confirmation_code()
        taken = session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.confirmation_code == code)
        )
        if not taken:
            return code
    raise service_unavailable("Could not find a free confirmation code.")


def _create_once(
    session: Session, data: RegistrationCreate, key: str, fingerprint: str, today: dt.date
) -> Created:
    existing = _by_key(session, key)
    if existing is not None:
        return _replay(existing, fingerprint)
    event = session.scalar(
        select(Event).where(Event.id == data.event_id, Event.listed.is_(True)).with_for_update()
    )
    if event is None:
        raise event_not_found(data.event_id)
    # Look again now that the event is locked: a request with the same key for the same
    # event may have committed while this one waited.
    existing = _by_key(session, key)
    if existing is not None:
        return _replay(existing, fingerprint)
    if not registration_is_open(event, today):
        raise ApiError(409, "registration_closed", f"Registration for {event.id!r} is closed.")
    active = _active(session, event.id, data.email)
    if active is not None:
        if active.idempotency_key == key:  # committed by a twin request a moment ago
            return _replay(active, fingerprint)
        raise _already_registered()
    full = event.capacity is not None and confirmed_count(session, event.id) >= event.capacity
    now = utcnow()
    registration = Registration(
        confirmation_code=_unused_code(session),
        idempotency_key=key,
        request_hash=fingerprint,
        event_id=event.id,
        full_name=data.full_name,
        email=data.email,
        municipality=data.municipality,
        organisation=data.organisation,
        language=data.language,
        status=STATUS_WAITLISTED if full else STATUS_CONFIRMED,
        consent_given_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(registration)
    session.flush()
    return Created(registration, replayed=False)


def is_stored_key(db: Database, key: str) -> bool:
    """Whether a registration was made with this Idempotency-Key (a repeat is a replay)."""
    with db.session() as session:
        return _by_key(session, key) is not None


def create_registration(
    db: Database, data: RegistrationCreate, key: str, today: dt.date
) -> Created:
    """Registers someone, or answers a repeated request with the registration it made."""
    fingerprint = data.fingerprint()
    for _ in range(_ATTEMPTS):
        try:
            with db.write_session() as session:
                return _create_once(session, data, key, fingerprint, today)
        except IntegrityError:
            # Another request won a unique constraint; everything was rolled back.
            with db.session() as session:
                existing = _by_key(session, key)
                if existing is not None:
                    return _replay(existing, fingerprint)
                if _active(session, data.event_id, data.email) is not None:
                    raise _already_registered() from None
            # Otherwise a confirmation code collided: try again with a new one.
    raise service_unavailable("Could not store the registration; try again.")


def _matching(registration: Registration | None, email: str) -> Registration:
    if registration is None or registration.email is None:
        raise registration_not_found()
    if not hmac.compare_digest(registration.email.encode(), email.encode()):
        raise registration_not_found()
    return registration


def _by_code(session: Session, code: str) -> Registration | None:
    canonical = normalise_code(code)
    if canonical is None:
        return None
    return session.scalar(select(Registration).where(Registration.confirmation_code == canonical))


def get_registration(db: Database, code: str, email: str) -> Registration:
    with db.session() as session:
        return _matching(_by_code(session, code), email)


def _lock_for_change(session: Session, code: str) -> tuple[Registration | None, Event | None]:
    """The registration and its event, locked in the same order a create locks them
    (event first), so that a cancel and a create never deadlock."""
    registration = _by_code(session, code)
    if registration is None:
        return None, None
    event = session.scalar(select(Event).where(Event.id == registration.event_id).with_for_update())
    session.refresh(registration, with_for_update=True)
    return registration, event


def cancel_registration(db: Database, code: str, email: str) -> Registration:
    """Cancels; cancelling again answers the same. A freed place goes to the waitlist."""
    with db.write_session() as session:
        registration, event = _lock_for_change(session, code)
        registration = _matching(registration, email)
        if registration.status == STATUS_CANCELLED:
            return registration
        was_confirmed = registration.status == STATUS_CONFIRMED
        now = utcnow()
        registration.status = STATUS_CANCELLED
        registration.cancelled_at = now
        registration.updated_at = now
        session.flush()
        if was_confirmed and event is not None:
            promote_waitlist(session, event)
        return registration


def erase_registration(db: Database, code: str) -> Registration:
    """Empties the personal data and keeps an anonymous row (status "erased").

    The idempotency key (it may have been derived from a person's chat id) and the hash
    of the request body go too. An erased person no longer holds a place.
    """
    with db.write_session() as session:
        registration, event = _lock_for_change(session, code)
        if registration is None:
            raise registration_not_found()
        if registration.status == STATUS_ERASED:
            return registration
        was_confirmed = registration.status == STATUS_CONFIRMED
        now = utcnow()
        registration.full_name = None
        registration.email = None
        registration.municipality = None
        registration.organisation = None
        registration.request_hash = None
        registration.idempotency_key = f"erased:{registration.id}"
        registration.status = STATUS_ERASED
        registration.erased_at = now
        registration.updated_at = now
        session.flush()
        if was_confirmed and event is not None:
            promote_waitlist(session, event)
        return registration


def _filtered(
    email: str | None, event_id: str | None, status: str | None
) -> Select[tuple[Registration]]:
    query = select(Registration)
    if email is not None:
        query = query.where(Registration.email == email.strip().lower())
    if event_id is not None:
        query = query.where(Registration.event_id == event_id)
    if status is not None:
        query = query.where(Registration.status == status)
    return query


def list_registrations(
    db: Database,
    *,
    email: str | None,
    event_id: str | None,
    status: str | None,
    limit: int | None,
    offset: int = 0,
) -> tuple[list[Registration], int]:
    query = _filtered(email, event_id, status)
    with db.session() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        page = query.order_by(Registration.created_at, Registration.id).offset(offset)
        if limit is not None:
            page = page.limit(limit)
        return list(session.scalars(page)), total
