from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Query, Response
from pydantic_core import PydanticCustomError

from app.api.deps import (
    ClientDep,
    DatabaseDep,
    RateLimitsDep,
    TodayDep,
    require_admin_token,
    require_service_token,
)
from app.core.rate_limit import retry_after_header
from app.errors import registration_not_found, too_many_requests
from app.models import Registration
from app.schemas import (
    EMAIL_MAX,
    EVENT_ID_PATTERN,
    IDEMPOTENCY_KEY_MAX,
    CancelRequest,
    ErrorResponse,
    RegistrationAdmin,
    RegistrationCreate,
    RegistrationList,
    RegistrationPublic,
    Status,
    normalise_email,
)
from app.services import registrations as service

router = APIRouter(prefix="/registrations", tags=["registrations"])

# Visible ASCII only (what an HTTP header can carry without surprises).
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]+$"
# Query text without control characters (PostgreSQL refuses NUL in text).
PLAIN_TEXT_PATTERN = r"^[^\x00-\x1f\x7f]*$"

# OpenAPI documentation of the error answers (FastAPI's `responses=`)
Responses = dict[int | str, dict[str, Any]]

_retry_after = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer"},
    }
}
_unauthorized: Responses = {
    401: {"model": ErrorResponse, "description": "Missing or wrong bearer token."}
}
_unavailable: Responses = {
    503: {
        "model": ErrorResponse,
        "description": "service_unavailable: the database is locked, full or unreachable; "
        "nothing was written.",
        "headers": _retry_after,
    }
}
_too_many: Responses = {
    429: {
        "model": ErrorResponse,
        "description": "too_many_requests: this client (X-Client-Id, else the remote "
        "address) made too many attempts in the rate-limit window.",
        "headers": _retry_after,
    }
}
_bad_body: Responses = {
    400: {"model": ErrorResponse, "description": "The body could not be read (e.g. not UTF-8)."},
    413: {"model": ErrorResponse, "description": "payload_too_large: the body is over the cap."},
}
_not_found: Responses = {
    404: {"model": ErrorResponse, "description": "No registration with this code (and email)."}
}

EventIdFilter = Annotated[str | None, Query(min_length=1, max_length=100, pattern=EVENT_ID_PATTERN)]
EmailFilter = Annotated[str | None, Query(max_length=EMAIL_MAX, pattern=PLAIN_TEXT_PATTERN)]


def _public(registration: Registration) -> RegistrationPublic:
    return RegistrationPublic.model_validate(registration)


def _registration_attempt(
    db: DatabaseDep,
    limits: RateLimitsDep,
    client: ClientDep,
    idempotency_key: Annotated[
        str,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=IDEMPOTENCY_KEY_MAX,
            pattern=IDEMPOTENCY_KEY_PATTERN,
            description="Any unique string per registration attempt (e.g. a UUID). Sending "
            "the same key and body again answers the same registration.",
        ),
    ],
) -> str:
    """The Idempotency-Key, once the attempt is within the client's registration limit.

    A key already counted for this client (a retry after a timeout or a 503) or already
    stored (a replay, even after a restart) does not count, and is answered as usual.
    """
    limiter = limits.registrations
    if limiter.counted(client, idempotency_key) or service.is_stored_key(db, idempotency_key):
        return idempotency_key
    wait = limiter.attempt(client, idempotency_key)
    if wait is not None:
        raise too_many_requests(retry_after_header(wait))
    return idempotency_key


def _lookup_attempt(limits: RateLimitsDep, client: ClientDep) -> None:
    """Counts a look-up or cancellation (both take an email: a limit stops guessing)."""
    wait = limits.lookups.attempt(client)
    if wait is not None:
        raise too_many_requests(retry_after_header(wait))


@router.post(
    "",
    status_code=201,
    response_model=RegistrationPublic,
    dependencies=[Depends(require_service_token)],
    responses={
        **_bad_body,
        **_unauthorized,
        404: {"model": ErrorResponse, "description": "event_not_found"},
        409: {
            "model": ErrorResponse,
            "description": "idempotency_key_reused, already_registered or registration_closed",
        },
        **_too_many,
        **_unavailable,
    },
)
def create_registration(
    db: DatabaseDep,
    today: TodayDep,
    data: Annotated[RegistrationCreate, Body()],
    idempotency_key: Annotated[str, Depends(_registration_attempt)],
    response: Response,
) -> RegistrationPublic:
    """Registers someone for an event: "confirmed" while places are left, else "waitlisted"."""
    created = service.create_registration(db, data, idempotency_key, today)
    if created.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return _public(created.registration)


@router.get(
    "",
    response_model=RegistrationList,
    dependencies=[Depends(require_admin_token)],
    responses={**_unauthorized, **_unavailable},
)
def list_registrations(
    db: DatabaseDep,
    email: EmailFilter = None,
    event_id: EventIdFilter = None,
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> RegistrationList:
    """The organiser's view: every registration matching the filters, oldest first."""
    items, total = service.list_registrations(
        db, email=email, event_id=event_id, status=status, limit=limit, offset=offset
    )
    return RegistrationList(
        items=[RegistrationAdmin.model_validate(item) for item in items],
        total=total,
        limit=limit,
        offset=offset,
    )


CSV_COLUMNS = (
    "confirmation_code",
    "status",
    "event_id",
    "full_name",
    "email",
    "municipality",
    "organisation",
    "language",
    "created_at",
    "updated_at",
    "cancelled_at",
    "erased_at",
    "id",
)


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    # A spreadsheet would run a cell starting with one of these as a formula.
    if text and text[0] in "=+-@\t\r":
        text = "'" + text
    return text


@router.get(
    "/export.csv",
    response_class=Response,
    dependencies=[Depends(require_admin_token)],
    responses={
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "UTF-8 CSV with a BOM.",
        },
        **_unauthorized,
        **_unavailable,
    },
)
def export_registrations(
    db: DatabaseDep,
    email: EmailFilter = None,
    event_id: EventIdFilter = None,
    status: Status | None = None,
) -> Response:
    """Every registration matching the filters as CSV (UTF-8 with a BOM, for spreadsheets)."""
    items, _ = service.list_registrations(
        db, email=email, event_id=event_id, status=status, limit=None
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        writer.writerow([_csv_cell(getattr(item, column)) for column in CSV_COLUMNS])
    return Response(
        content="\ufeff" + buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="registrations.csv"'},
    )


@router.get(
    "/{confirmation_code}",
    response_model=RegistrationPublic,
    dependencies=[Depends(require_service_token), Depends(_lookup_attempt)],
    responses={**_unauthorized, **_not_found, **_too_many, **_unavailable},
)
def get_registration(
    db: DatabaseDep,
    confirmation_code: str,
    email: Annotated[str, Query(max_length=400, description="The email it was made with.")],
) -> RegistrationPublic:
    """A registration and its status; 404 unless the email matches."""
    try:
        normalised = normalise_email(email)
    except PydanticCustomError:  # no registration can have it
        raise registration_not_found() from None
    return _public(service.get_registration(db, confirmation_code, normalised))


@router.post(
    "/{confirmation_code}/cancel",
    response_model=RegistrationPublic,
    dependencies=[Depends(require_service_token), Depends(_lookup_attempt)],
    responses={**_bad_body, **_unauthorized, **_not_found, **_too_many, **_unavailable},
)
def cancel_registration(
    db: DatabaseDep, confirmation_code: str, data: Annotated[CancelRequest, Body()]
) -> RegistrationPublic:
    """Cancels (again: the same answer). A place freed goes to the earliest waitlisted."""
    return _public(service.cancel_registration(db, confirmation_code, data.email))


@router.delete(
    "/{confirmation_code}",
    response_model=RegistrationAdmin,
    dependencies=[Depends(require_admin_token)],
    responses={**_unauthorized, **_not_found, **_unavailable},
)
def erase_registration(db: DatabaseDep, confirmation_code: str) -> RegistrationAdmin:
    """Erases the personal data and keeps an anonymous row with status "erased"."""
    return RegistrationAdmin.model_validate(service.erase_registration(db, confirmation_code))
