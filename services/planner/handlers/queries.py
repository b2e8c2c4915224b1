"""Reads for the API: what staff see, with restricted items hidden from the uncleared."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from services.planner.domain.errors import NotFound
from services.planner.domain.hearings import Hearing
from services.planner.domain.items import Item
from services.planner.domain.meetings import Meeting
from services.planner.domain.organizations import Organization
from services.planner.domain.sessions import Committee, Session
from services.planner.handlers.lookups import visible
from services.planner.handlers.ports import (
    HearingFilter,
    ItemFilter,
    Listing,
    MeetingFilter,
    Page,
    PlanSummary,
    UnitOfWork,
)

EVERYTHING = Page(limit=1000, offset=0)


@dataclass(frozen=True)
class ItemDetail:
    item: Item
    hearings: Sequence[Hearing]
    meetings: Sequence[Meeting]


async def list_items(uow: UnitOfWork, where: ItemFilter, page: Page) -> Listing[Item]:
    async with uow:
        return Listing(await uow.items.find(where, page), await uow.items.count(where))


async def item_detail(uow: UnitOfWork, item_id: uuid.UUID, *, cleared: bool) -> ItemDetail:
    async with uow:
        item = visible(await uow.items.get(item_id), cleared=cleared, what=f"item {item_id}")
        hearings = await uow.hearings.find(
            HearingFilter(item_id=item_id, include_restricted=cleared), EVERYTHING
        )
        meetings = await uow.meetings.find(
            MeetingFilter(item_id=item_id, include_restricted=cleared), EVERYTHING
        )
        return ItemDetail(item, hearings, meetings)


async def list_hearings(uow: UnitOfWork, where: HearingFilter, page: Page) -> Listing[Hearing]:
    async with uow:
        return Listing(await uow.hearings.find(where, page), await uow.hearings.count(where))


async def get_hearing(uow: UnitOfWork, hearing_id: uuid.UUID, *, cleared: bool) -> Hearing:
    async with uow:
        found = await uow.hearings.get(hearing_id)
        return visible(found, cleared=cleared, what=f"hearing {hearing_id}")


async def list_meetings(uow: UnitOfWork, where: MeetingFilter, page: Page) -> Listing[Meeting]:
    async with uow:
        return Listing(await uow.meetings.find(where, page), await uow.meetings.count(where))


async def get_meeting(uow: UnitOfWork, meeting_id: uuid.UUID, *, cleared: bool) -> Meeting:
    async with uow:
        found = await uow.meetings.get(meeting_id)
        return visible(found, cleared=cleared, what=f"meeting {meeting_id}")


@dataclass(frozen=True)
class SessionListing:
    committee: Committee
    session: Session


async def list_sessions(uow: UnitOfWork) -> Sequence[SessionListing]:
    """Every committee's sessions, newest first within a committee."""
    async with uow:
        committees = {committee.code: committee for committee in await uow.plans.committees()}
        return [
            SessionListing(committees[session.committee_code], session)
            for session in await uow.plans.sessions()
        ]


async def work_plan_summary(uow: UnitOfWork, where: ItemFilter) -> PlanSummary:
    """Items per status, owners and organisations of a work plan's items that match."""
    committee, session = where.committee or "", where.session or ""
    async with uow:
        if await uow.plans.work_plan(committee, session) is None:
            raise NotFound(f"no work plan of committee {committee} for session {session}")
        return await uow.items.summary(where)


async def list_organizations(uow: UnitOfWork) -> Sequence[Organization]:
    async with uow:
        return await uow.organizations.all()


async def get_organization(uow: UnitOfWork, code: str) -> Organization:
    async with uow:
        organization = await uow.organizations.get(code)
        if organization is None:
            raise NotFound(f"no organisation {code}")
        return organization
