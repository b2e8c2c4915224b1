"""Routes of committees' sessions: what a staff front end offers to choose from."""

from __future__ import annotations

from fastapi import APIRouter

from services.planner.entrypoints.api.dependencies import PlannerDep, Reader
from services.planner.entrypoints.api.schemas import SessionOut
from services.planner.handlers import queries

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"])


@router.get("", response_model=list[SessionOut])
async def list_sessions(planner: PlannerDep, _: Reader) -> list[SessionOut]:
    """Every committee's sessions (newest first per committee), with dates and time zone."""
    return [
        SessionOut(
            committee=listing.committee.code,
            committee_name=listing.committee.name,
            code=listing.session.code,
            name=listing.session.name,
            starts_on=listing.session.starts_on,
            ends_on=listing.session.ends_on,
            timezone=listing.session.timezone,
        )
        for listing in await queries.list_sessions(planner.uow())
    ]
