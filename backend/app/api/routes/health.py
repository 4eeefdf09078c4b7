from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.api.deps import DatabaseDep
from app.errors import service_unavailable
from app.schemas import ErrorResponse, Health

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": ErrorResponse, "description": "The database does not answer."}},
)
def health(db: DatabaseDep) -> Health | JSONResponse:
    """200 once the database answers a query, 503 otherwise."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        log.warning("health check: the database does not answer: %s", error)
        error_answer = service_unavailable("The database does not answer.")
        return JSONResponse(error_answer.body(), status_code=503, headers=error_answer.headers)
    return Health(status="ok")
