"""Routes of meetings with counterpart organisations."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status

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
from services.planner.entrypoints.api.schemas import MeetingIn, MeetingOut
from services.planner.handlers import meetings, queries
from services.planner.handlers.commands import RecordMeeting
from services.planner.handlers.ports import MeetingFilter
from shared.contract.values import Day

router = APIRouter(prefix="/api/v1/meetings", tags=["meetings"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=MeetingOut,
    responses={422: {"description": "Unknown organisation"}, 404: {"description": "No item"}},
)
async def record_meeting(
    request: Request, body: MeetingIn, planner: PlannerDep, principal: Writer
) -> MeetingOut:
    """Record a meeting (`meeting.held`); it is linked to its item and moves it in progress.

    Its classification is at least its item's, whatever the body says.
    """
    command = RecordMeeting(**dict(body), cleared=cleared(principal))
    meeting = await meetings.record_meeting(command, planner.uow(), source=planner.source)
    return audit(request, principal, MeetingOut.model_validate(meeting))


@router.get("", response_model=list[MeetingOut], responses=listed("Latest held first"))
async def list_meetings(
    request: Request,
    response: Response,
    planner: PlannerDep,
    principal: Reader,
    page: PageDep,
    committee: str | None = None,
    organization: str | None = None,
    item_id: uuid.UUID | None = None,
    held_from: Day | None = None,
    held_before: Day | None = None,
) -> list[MeetingOut]:
    where = MeetingFilter(
        committee=committee,
        organization=organization,
        item_id=item_id,
        held_from=held_from,
        held_before=held_before,
        include_restricted=cleared(principal),
    )
    found = await queries.list_meetings(planner.uow(), where, page)
    count_total(response, found.total)
    return audit(request, principal, [MeetingOut.model_validate(meeting) for meeting in found.rows])


@router.get("/{meeting_id}", response_model=MeetingOut, responses={404: {"description": "None"}})
async def get_meeting(
    request: Request, meeting_id: uuid.UUID, planner: PlannerDep, principal: Reader
) -> MeetingOut:
    meeting = await queries.get_meeting(planner.uow(), meeting_id, cleared=cleared(principal))
    return audit(request, principal, MeetingOut.model_validate(meeting))
