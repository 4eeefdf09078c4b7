from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import DatabaseDep, TodayDep
from app.schemas import EventPublic
from app.services.events import public_events

router = APIRouter(prefix="/events", tags=["events"])


@router.get("", response_model=list[EventPublic])
def list_events(db: DatabaseDep, today: TodayDep) -> list[EventPublic]:
    """The events of the content file, with whether registration is open and the places left."""
    with db.session() as session:
        return public_events(session, today)
