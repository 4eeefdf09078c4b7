"""Shared dependencies: the database, today's date, the two bearer tokens, and who the
client is (for the rate limits)."""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.core.config import Settings
from app.core.db import Database
from app.core.rate_limit import RateLimits
from app.errors import ApiError

service_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ServiceToken",
    description="REGISTRATION_SERVICE_TOKEN: the assistant's action server.",
)
admin_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="AdminToken",
    description="REGISTRATION_ADMIN_TOKEN: the event organiser.",
)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_today(settings: Annotated[Settings, Depends(get_settings)]) -> dt.date:
    """Today in REGISTRATION_TIMEZONE (deadlines are whole days there)."""
    return dt.datetime.now(ZoneInfo(settings.registration_timezone)).date()


def _token_matches(credentials: HTTPAuthorizationCredentials | None, expected: str) -> bool:
    if credentials is None or not expected:
        return False
    return hmac.compare_digest(credentials.credentials.encode("utf-8"), expected.encode("utf-8"))


def _unauthorized() -> ApiError:
    return ApiError(
        401,
        "unauthorized",
        "Missing or wrong bearer token.",
        headers={"WWW-Authenticate": "Bearer"},
    )


def require_service_token(
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(service_bearer)],
) -> None:
    if not _token_matches(credentials, settings.registration_service_token):
        raise _unauthorized()


def require_admin_token(
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(admin_bearer)],
) -> None:
    if not _token_matches(credentials, settings.registration_admin_token):
        raise _unauthorized()


def get_rate_limits(request: Request) -> RateLimits:
    limits: RateLimits = request.app.state.rate_limits
    return limits


CLIENT_ID_MAX = 128


def get_client(
    request: Request,
    x_client_id: Annotated[
        str | None,
        Header(
            alias="X-Client-Id",
            min_length=1,
            max_length=CLIENT_ID_MAX,
            pattern=r"^[!-~]+$",
            description="Who an attempt is for, as an opaque id: the assistant's action "
            "server sends a hash of the conversation id (the first 32 hex digits of its "
            "SHA-256). Rate limits count per X-Client-Id, or per remote address without "
            "one. Kept in memory for the rate-limit window only, never stored or logged.",
        ),
    ] = None,
) -> str:
    """The client that the rate limits count for. The header is trusted because only a
    holder of the service token reaches the limited routes (the token is checked first)."""
    if x_client_id is not None:
        return f"id:{x_client_id}"
    return f"address:{request.client.host if request.client else 'unknown'}"


DatabaseDep = Annotated[Database, Depends(get_db)]
TodayDep = Annotated[dt.date, Depends(get_today)]
RateLimitsDep = Annotated[RateLimits, Depends(get_rate_limits)]
ClientDep = Annotated[str, Depends(get_client)]


def refuse_repeated_query_parameters(request: Request) -> None:
    """No route takes a list in its query: `?status=a&status=b` is refused (422), not read
    as its last value, which a caller expecting "a or b" would not notice."""
    errors = [
        {
            "type": "repeated_parameter",
            "loc": ("query", name),
            "msg": "must be given at most once",
            "input": request.query_params.getlist(name),
        }
        for name in dict.fromkeys(request.query_params.keys())
        if len(request.query_params.getlist(name)) > 1
    ]
    if errors:
        raise RequestValidationError(errors)
