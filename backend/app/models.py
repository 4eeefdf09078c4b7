"""What is stored: the events (synced from the content file) and the registrations."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

STATUS_CONFIRMED = "confirmed"
STATUS_WAITLISTED = "waitlisted"
STATUS_CANCELLED = "cancelled"
STATUS_ERASED = "erased"
STATUSES = (STATUS_CONFIRMED, STATUS_WAITLISTED, STATUS_CANCELLED, STATUS_ERASED)
ACTIVE_STATUSES = (STATUS_CONFIRMED, STATUS_WAITLISTED)
# The same condition, as SQL, for the partial unique index (SQLite and PostgreSQL).
ACTIVE_STATUS_SQL = "status IN ('confirmed', 'waitlisted')"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite forgets)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime")
            value = value.astimezone(dt.timezone.utc)
        return value

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Event(Base):
    """One event of content/events.yml, copied here at start-up (insert or update).

    `listed` turns false for an event that left the content file: it is no longer shown
    or open, but its registrations keep pointing at it.
    """

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title_ka: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text)
    start: Mapped[str] = mapped_column(String(5))  # "MM-DD"
    end: Mapped[str] = mapped_column(String(5))
    year: Mapped[int | None] = mapped_column(Integer)
    venue_ka: Mapped[str] = mapped_column(Text)
    venue_en: Mapped[str] = mapped_column(Text)
    registration_open: Mapped[bool] = mapped_column(Boolean)
    registration_deadline: Mapped[dt.date | None] = mapped_column(Date)
    capacity: Mapped[int | None] = mapped_column(Integer)  # None: no limit
    listed: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # order in the content file
    synced_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Registration(Base):
    """A registration as stored.

    `email` is stored normalised (trimmed, lowercased). Erasure empties the personal
    fields (full_name, email, municipality, organisation, the idempotency key and the
    request hash) and keeps the row, so that counts stay right.
    """

    __tablename__ = "registrations"
    __table_args__ = (
        CheckConstraint(
            "status IN ('confirmed', 'waitlisted', 'cancelled', 'erased')", name="status"
        ),
        CheckConstraint("language IN ('ka', 'en')", name="language"),
        UniqueConstraint("confirmation_code"),
        UniqueConstraint("idempotency_key"),
        # One active registration per person and event, enforced by the database.
        Index(
            "uq_registrations_event_email_active",
            "event_id",
            "email",
            unique=True,
            sqlite_where=text(ACTIVE_STATUS_SQL),
            postgresql_where=text(ACTIVE_STATUS_SQL),
        ),
        Index("ix_registrations_event_status", "event_id", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    confirmation_code: Mapped[str] = mapped_column(String(8))
    idempotency_key: Mapped[str] = mapped_column(String(255))
    # SHA-256 of the canonical (validated, normalised) request body.
    request_hash: Mapped[str | None] = mapped_column(String(64))
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    full_name: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    municipality: Mapped[str | None] = mapped_column(String(100))
    organisation: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(16))
    consent_given_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
