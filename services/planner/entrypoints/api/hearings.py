"""Routes of hearings: list, read, reschedule, cancel, mark held."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response

from services.planner.entrypoints.api.access_audit import audit
from services.planner.entrypoints.api.dependencies import (
    PageDep,
    PlannerDep,
    Reader,
    Writer,
    cleared,
    count_total,
    listed,
)
from services.planner.entrypoints.api.schemas import CancelIn, HearingOut, HeldIn, RescheduleIn
from services.planner.handlers import hearings, queries
from services.planner.handlers.commands import CancelHearing, MarkHearingHeld, RescheduleHearing
from services.planner.handlers.ports import HearingFilter
from shared.contract.values import HearingStatus, Moment

router = APIRouter(prefix="/api/v1/hearings", tags=["hearings"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such hearing (or it is restricted)"},
    409: {"description": "Not possible in the hearing's current state, or overlaps another"},
}


@router.get("", response_model=list[HearingOut], responses=listed("By start, earliest first"))
async def list_hearings(
    request: Request,
    response: Response,
    planner: PlannerDep,
    principal: Reader,
    page: PageDep,
    committee: str | None = None,
    session: str | None = None,
    item_id: uuid.UUID | None = None,
    status: HearingStatus | None = None,
    starts_from: Moment | None = None,
    starts_before: Moment | None = None,
) -> list[HearingOut]:
    where = HearingFilter(
        committee=committee,
        session=session,
        item_id=item_id,
        status=status,
        starts_from=starts_from,
        starts_before=starts_before,
        include_restricted=cleared(principal),
    )
    found = await queries.list_hearings(planner.uow(), where, page)
    count_total(response, found.total)
    return audit(request, principal, [HearingOut.model_validate(hearing) for hearing in found.rows])


@router.get("/{hearing_id}", response_model=HearingOut, responses=ERRORS)
async def get_hearing(
    request: Request, hearing_id: uuid.UUID, planner: PlannerDep, principal: Reader
) -> HearingOut:
    hearing = await queries.get_hearing(planner.uow(), hearing_id, cleared=cleared(principal))
    return audit(request, principal, HearingOut.model_validate(hearing))


@router.post("/{hearing_id}/reschedule", response_model=HearingOut, responses=ERRORS)
async def reschedule(
    request: Request,
    hearing_id: uuid.UUID,
    body: RescheduleIn,
    planner: PlannerDep,
    principal: Writer,
) -> HearingOut:
    """Move the hearing (`hearing.rescheduled`, carrying the previous start and place)."""
    command = RescheduleHearing(hearing_id, **dict(body), cleared=cleared(principal))
    hearing = HearingOut.model_validate(await hearings.reschedule_hearing(command, planner.uow()))
    return audit(request, principal, hearing)


@router.post("/{hearing_id}/cancel", response_model=HearingOut, responses=ERRORS)
async def cancel(
    request: Request,
    hearing_id: uuid.UUID,
    body: CancelIn,
    planner: PlannerDep,
    principal: Writer,
) -> HearingOut:
    """Cancel with a reason (`hearing.cancelled`); the hearing is kept."""
    command = CancelHearing(hearing_id, body.reason, cleared=cleared(principal))
    hearing = HearingOut.model_validate(await hearings.cancel_hearing(command, planner.uow()))
    return audit(request, principal, hearing)


@router.post("/{hearing_id}/held", response_model=HearingOut, responses=ERRORS)
async def mark_held(
    request: Request,
    hearing_id: uuid.UUID,
    body: HeldIn,
    planner: PlannerDep,
    principal: Writer,
) -> HearingOut:
    """Record that the hearing took place (`hearing.held`); a cancelled one cannot be."""
    command = MarkHearingHeld(hearing_id, body.held_at, body.summary, cleared=cleared(principal))
    hearing = HearingOut.model_validate(await hearings.mark_hearing_held(command, planner.uow()))
    return audit(request, principal, hearing)
