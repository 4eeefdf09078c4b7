"""The shapes of the API: what a client may send, and what it is shown.

The stored shape is `app.models.Registration`; `RegistrationCreate` is what a client may
send, `RegistrationPublic` what the client is shown, `RegistrationAdmin` what the
organiser is shown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
import uuid
from typing import Literal

from avatar_shared.events import EVENT_ID
from avatar_shared.names import (
    MTAVRULI_LETTERS,
    NAME_LETTERS,
    NAME_MAX_LENGTH,
    NAME_MIN_LENGTH,
    NAME_PUNCTUATION,
)
from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

Language = Literal["ka", "en"]
Status = Literal["confirmed", "waitlisted", "cancelled", "erased"]

# Letters allowed in a name (avatar_shared.names, the assistant's definition too):
# Georgian Mkhedruli (and Mtavruli capitals, turned into Mkhedruli), Latin with its
# accented forms; between them spaces, hyphens, apostrophes and dots. A name starts with a
# letter.
_NAME = re.compile(f"^[{NAME_LETTERS}][{NAME_LETTERS} {NAME_PUNCTUATION}]*$")
_MTAVRULI_CHAR = re.compile(f"[{MTAVRULI_LETTERS}]")

NAME_MIN, NAME_MAX = NAME_MIN_LENGTH, NAME_MAX_LENGTH
EMAIL_MAX = 254
MUNICIPALITY_MAX = 100
ORGANISATION_MAX = 200
IDEMPOTENCY_KEY_MAX = 255
# The shape of an event id in content/events.yml.
EVENT_ID_PATTERN = EVENT_ID.pattern


def normalise_full_name(value: str) -> str:
    """Trimmed, inner whitespace collapsed, NFC, Mtavruli capitals as Mkhedruli.

    Raises PydanticCustomError (a 422 with the reason) when the name is not acceptable.
    """
    name = unicodedata.normalize("NFC", " ".join(value.split()))
    name = _MTAVRULI_CHAR.sub(lambda match: match.group(0).lower(), name)
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise PydanticCustomError(
            "name_length",
            "must be {min} to {max} characters long",
            {"min": NAME_MIN, "max": NAME_MAX},
        )
    if not _NAME.match(name):
        raise PydanticCustomError(
            "name_characters",
            "may contain only Georgian or Latin letters, spaces, hyphens, apostrophes and "
            "dots, and must start with a letter",
        )
    return name


def normalise_email(value: str) -> str:
    """The address checked for syntax (no DNS lookup), trimmed and lowercased.

    Raises PydanticCustomError (a 422 with the reason) when the address is not valid.
    """
    value = value.strip()
    if len(value) > EMAIL_MAX:
        raise PydanticCustomError(
            "email_length", "must be at most {max} characters long", {"max": EMAIL_MAX}
        )
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        raise PydanticCustomError(
            "email_invalid", "not a valid email address: {reason}", {"reason": str(error)}
        ) from None
    return checked.normalized.lower()


def _optional_text(value: str | None, max_length: int) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFC", " ".join(value.split()))
    if any(unicodedata.category(char).startswith("C") for char in text):
        raise PydanticCustomError(
            "text_characters", "must not contain control or unassigned characters"
        )
    if len(text) > max_length:
        raise PydanticCustomError(
            "text_length", "must be at most {max} characters long", {"max": max_length}
        )
    return text or None


class RegistrationCreate(BaseModel):
    """What a client may send to register someone."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "event_id": "avatar-schio",
                "full_name": "ნინო ბერიძე",
                "email": "nino@example.org",
                "municipality": "ქუთაისი",
                "organisation": None,
                "language": "ka",
                "consent": True,
            }
        },
    )

    event_id: str = Field(min_length=1, max_length=100, pattern=EVENT_ID_PATTERN)
    full_name: str = Field(
        min_length=NAME_MIN,
        max_length=400,
        description="2-100 characters after trimming: Georgian or Latin letters, spaces, "
        "hyphens, apostrophes and dots, starting with a letter.",
    )
    email: str = Field(
        max_length=400,
        description="Checked for syntax (no DNS lookup), then trimmed and lowercased.",
    )
    municipality: str | None = Field(default=None, max_length=400)
    organisation: str | None = Field(default=None, max_length=800)
    language: Language
    consent: bool = Field(strict=True, description="Consent to store the data; must be true.")

    @field_validator("full_name")
    @classmethod
    def _check_full_name(cls, value: str) -> str:
        return normalise_full_name(value)

    @field_validator("email")
    @classmethod
    def _check_email(cls, value: str) -> str:
        return normalise_email(value)

    @field_validator("municipality")
    @classmethod
    def _check_municipality(cls, value: str | None) -> str | None:
        return _optional_text(value, MUNICIPALITY_MAX)

    @field_validator("organisation")
    @classmethod
    def _check_organisation(cls, value: str | None) -> str | None:
        return _optional_text(value, ORGANISATION_MAX)

    @field_validator("consent")
    @classmethod
    def _consent_given(cls, value: bool) -> bool:
        if value is not True:
            raise PydanticCustomError(
                "consent_required", "must be true: the person has to agree to the data being stored"
            )
        return value

    def fingerprint(self) -> str:
        """SHA-256 of the validated, normalised body: the same request hashes the same."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class CancelRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"email": "nino@example.org"}}
    )

    email: str = Field(max_length=400)

    @field_validator("email")
    @classmethod
    def _check_email(cls, value: str) -> str:
        return normalise_email(value)


class RegistrationPublic(BaseModel):
    """What the client (the assistant) is shown of a registration."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    confirmation_code: str
    status: Status
    event_id: str
    full_name: str | None
    email: str | None
    language: Language
    created_at: dt.datetime


class RegistrationAdmin(RegistrationPublic):
    """What the organiser is shown (personal fields are null once erased)."""

    municipality: str | None
    organisation: str | None
    updated_at: dt.datetime
    cancelled_at: dt.datetime | None
    erased_at: dt.datetime | None


class RegistrationList(BaseModel):
    items: list[RegistrationAdmin]
    total: int = Field(description="How many registrations match the filters (all pages).")
    limit: int
    offset: int


class LocalisedText(BaseModel):
    ka: str
    en: str


class EventPublic(BaseModel):
    id: str
    title: LocalisedText
    start: str = Field(description='Month-day, "MM-DD".')
    end: str = Field(description='Month-day, "MM-DD".')
    year: int | None
    venue: LocalisedText
    registration_open: bool = Field(
        description="False when the content file says so or the deadline has passed."
    )
    registration_deadline: dt.date | None
    places_left: int | None = Field(description="Null when the event has no capacity limit.")


class Health(BaseModel):
    status: Literal["ok"]


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    """The body of every error answer except 422."""

    detail: ErrorDetail
