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
from services.planner.handlers.ports import (
    HearingFilter,
    ItemFilter,
    MeetingFilter,
    Page,
    UnitOfWork,
)

EVERYTHING = Page(limit=1000, offset=0)


@dataclass(frozen=True)
class ItemDetail:
    item: Item
    hearings: Sequence[Hearing]
    meetings: Sequence[Meeting]


async def list_items(uow: UnitOfWork, where: ItemFilter, page: Page) -> Sequence[Item]:
    async with uow:
        return await uow.items.find(where, page)


async def item_detail(uow: UnitOfWork, item_id: uuid.UUID, *, cleared: bool) -> ItemDetail:
    async with uow:
        item = await uow.items.get(item_id)
        if item is None or (item.classification == "restricted" and not cleared):
            raise NotFound(f"no item {item_id}")
        hearings = await uow.hearings.find(
            HearingFilter(item_id=item_id, include_restricted=cleared), EVERYTHING
        )
        meetings = await uow.meetings.find(
            MeetingFilter(item_id=item_id, include_restricted=cleared), EVERYTHING
        )
        return ItemDetail(item, hearings, meetings)


async def list_hearings(uow: UnitOfWork, where: HearingFilter, page: Page) -> Sequence[Hearing]:
    async with uow:
        return await uow.hearings.find(where, page)


async def get_hearing(uow: UnitOfWork, hearing_id: uuid.UUID, *, cleared: bool) -> Hearing:
    async with uow:
        hearing = await uow.hearings.get(hearing_id)
        if hearing is None or (hearing.classification == "restricted" and not cleared):
            raise NotFound(f"no hearing {hearing_id}")
        return hearing


async def list_meetings(uow: UnitOfWork, where: MeetingFilter, page: Page) -> Sequence[Meeting]:
    async with uow:
        return await uow.meetings.find(where, page)


async def get_meeting(uow: UnitOfWork, meeting_id: uuid.UUID, *, cleared: bool) -> Meeting:
    async with uow:
        meeting = await uow.meetings.get(meeting_id)
        if meeting is None or (meeting.classification == "restricted" and not cleared):
            raise NotFound(f"no meeting {meeting_id}")
        return meeting


async def list_organizations(uow: UnitOfWork) -> Sequence[Organization]:
    async with uow:
        return await uow.organizations.all()


async def get_organization(uow: UnitOfWork, code: str) -> Organization:
    async with uow:
        organization = await uow.organizations.get(code)
        if organization is None:
            raise NotFound(f"no organisation {code}")
        return organization
