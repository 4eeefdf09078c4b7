"""The registration service: `create_app()` builds the FastAPI application.

Serve it with `uvicorn --factory app.main:create_app` (scripts/serve.sh migrates first).
Nothing here touches the database at import time; start-up checks that the database is
migrated and copies the events of the content file into it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.body_limit import BodySizeLimit
from app.api.deps import refuse_repeated_query_parameters
from app.api.routes import events, health, registrations
from app.content import load_events
from app.core.config import Settings, get_settings
from app.core.db import Database
from app.core.logging import configure_logging
from app.core.migrations import check_at_head
from app.core.rate_limit import RateLimits
from app.errors import ApiError, service_unavailable
from app.services.events import sync_events

log = logging.getLogger("app")

API_PREFIX = "/api/v1"
_ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


def _api_error_response(error: ApiError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status_code, headers=error.headers)


async def _on_api_error(_request: Request, error: ApiError) -> JSONResponse:
    return _api_error_response(error)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        path_regex = getattr(route, "path_regex", None)
        if path_regex is not None and path_regex.match(request.url.path):
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


async def _on_http_exception(request: Request, error: StarletteHTTPException) -> JSONResponse:
    # Framework errors (unknown path, wrong method ...) in the same shape as ours.
    if isinstance(error.detail, dict) and "code" in error.detail:
        body = {"detail": error.detail}
    else:
        code = _ERROR_CODES.get(error.status_code, f"http_{error.status_code}")
        body = {"detail": {"code": code, "message": str(error.detail)}}
    headers = dict(getattr(error, "headers", None) or {})
    if error.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return JSONResponse(body, status_code=error.status_code, headers=headers or None)


async def _on_database_unavailable(
    _request: Request, error: OperationalError | PoolTimeoutError
) -> JSONResponse:
    """The one place where the database's failures become 503 `service_unavailable` with
    Retry-After. OperationalError: SQLite's "database is locked" (after the busy timeout),
    "database or disk is full", "disk I/O error"; PostgreSQL's lost connection, full disk
    (DiskFull) and lock timeout (LockNotAvailable). The pool's TimeoutError: every
    connection busy for DATABASE_LOCK_TIMEOUT_MS. The write transaction was rolled back
    (Database.write_session), so nothing is half-written."""
    log.warning("database unavailable: %s", getattr(error, "orig", None) or type(error).__name__)
    return _api_error_response(service_unavailable())


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application. Without `settings`, they are read from the environment, and a
    production environment with default tokens refuses to start here."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)  # emails and phone numbers masked in every record
    database = Database(settings.database_url, lock_timeout_ms=settings.database_lock_timeout_ms)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        check_at_head(database.engine)
        content = load_events(settings.events_file)
        sync_events(database, content)
        log.info("%d event(s) synced from %s", len(content), settings.events_file)
        try:
            yield
        finally:
            database.dispose()

    app = FastAPI(
        title="Event registration service",
        version="1.0.0",
        description="Registrations for the events of content/events.yml. Errors other "
        'than 422 answer {"detail": {"code": "...", "message": "..."}}.',
        lifespan=lifespan,
        dependencies=[Depends(refuse_repeated_query_parameters)],
    )
    app.state.settings = settings
    app.state.db = database
    app.state.rate_limits = RateLimits.from_settings(
        registrations=settings.registration_rate_limit,
        lookups=settings.lookup_rate_limit,
        window_seconds=settings.rate_limit_window_seconds,
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_exception_handler(ApiError, _on_api_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)  # type: ignore[arg-type]
    for database_error in (OperationalError, PoolTimeoutError):
        app.add_exception_handler(database_error, _on_database_unavailable)  # type: ignore[arg-type]
    app.include_router(health.router)
    app.include_router(events.router, prefix=API_PREFIX)
    app.include_router(registrations.router, prefix=API_PREFIX)
    return app
