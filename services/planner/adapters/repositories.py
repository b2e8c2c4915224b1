"""Repositories of the planner's aggregates on an async SQLAlchemy session.

Each remembers the aggregates it handed out (``seen``) so the unit of work can collect
the events they recorded.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, case, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.planner.adapters.orm import hearings, items, meetings, organizations
from services.planner.domain.hearings import ACTIVE_STATUSES, Hearing
from services.planner.domain.items import OPEN_STATUSES, Item
from services.planner.domain.meetings import Meeting
from services.planner.domain.organizations import Organization
from services.planner.domain.sessions import Committee, Session, WorkPlan
from services.planner.handlers.ports import HearingFilter, ItemFilter, MeetingFilter, Page

T = TypeVar("T")
CLASSIFICATIONS = {False: ("public", "internal"), True: ("public", "internal", "restricted")}
"""What a caller sees, by whether they are cleared for restricted items."""


class _Tracking:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self.seen: set[Any] = set()

    def _track(self, found: T | None) -> T | None:
        if found is not None:
            self.seen.add(found)
        return found

    async def _page(
        self, statement: Select[T], page: Page, *, for_update: bool = False
    ) -> Sequence[T]:
        """A page of rows; locked and tracked (their events collected) when to be changed."""
        statement = statement.limit(page.limit).offset(page.offset)
        if for_update:
            statement = statement.with_for_update()
        found = list(await self._session.scalars(statement))
        if for_update:
            self.seen.update(found)
        return found


class SqlOrganizationRepository(_Tracking):
    def add(self, organization: Organization) -> None:
        self._session.add(organization)

    async def get(self, code: str) -> Organization | None:
        return await self._session.get(Organization, code)

    async def all(self) -> Sequence[Organization]:
        result = await self._session.scalars(select(Organization).order_by(organizations.c.code))
        return list(result)

    async def unknown(self, codes: Sequence[str]) -> list[str]:
        if not codes:
            return []
        known = set(
            await self._session.scalars(
                select(organizations.c.code).where(organizations.c.code.in_(codes))
            )
        )
        return [code for code in codes if code not in known]


class SqlPlanRepository(_Tracking):
    def add(self, thing: Committee | Session | WorkPlan) -> None:
        self._session.add(thing)

    async def committee(self, code: str) -> Committee | None:
        return await self._session.get(Committee, code)

    async def session(self, committee: str, code: str) -> Session | None:
        return await self._session.get(Session, (committee, code))

    async def work_plan(self, committee: str, session: str) -> WorkPlan | None:
        statement = select(WorkPlan).filter_by(committee_code=committee, session_code=session)
        return (await self._session.scalars(statement)).first()

    async def work_plans(self) -> Sequence[WorkPlan]:
        return list(await self._session.scalars(select(WorkPlan)))


class SqlItemRepository(_Tracking):
    def add(self, item: Item) -> None:
        self._session.add(item)
        self.seen.add(item)

    async def get(self, item_id: uuid.UUID, *, for_update: bool = False) -> Item | None:
        return self._track(
            await self._session.get(Item, item_id, with_for_update=for_update or None)
        )

    async def by_ref(self, work_plan_id: uuid.UUID, ref: str) -> Item | None:
        statement = select(Item).filter_by(work_plan_id=work_plan_id, ref=ref).with_for_update()
        return self._track((await self._session.scalars(statement)).first())

    async def find(self, where: ItemFilter, page: Page) -> Sequence[Item]:
        statement = select(Item).order_by(items.c.created_at, items.c.id)
        if where.committee:
            statement = statement.where(items.c.committee == where.committee)
        if where.session:
            statement = statement.where(items.c.session == where.session)
        if where.status:
            statement = statement.where(items.c.status == where.status)
        if where.category:
            statement = statement.where(items.c.category == where.category)
        if where.organization:
            statement = statement.where(items.c.organizations.contains([where.organization]))
        if not where.include_restricted:
            statement = statement.where(items.c.classification != "restricted")
        return await self._page(statement, page)

    async def open_for_organization(self, code: str, *, include_restricted: bool) -> Sequence[Item]:
        """Open items naming the organisation: in progress first, then oldest first."""
        statement = (
            select(Item)
            .where(items.c.organizations.contains([code]), items.c.status.in_(OPEN_STATUSES))
            .where(
                items.c.classification.in_(
                    ("public", "internal", "restricted")
                    if include_restricted
                    else ("public", "internal")
                )
            )
            .order_by(
                case((items.c.status == "in_progress", 0), else_=1),
                items.c.created_at,
                items.c.id,
            )
            .with_for_update()
        )
        found = list(await self._session.scalars(statement))
        self.seen.update(found)
        return found


class SqlHearingRepository(_Tracking):
    def add(self, hearing: Hearing) -> None:
        self._session.add(hearing)
        self.seen.add(hearing)

    async def get(self, hearing_id: uuid.UUID, *, for_update: bool = False) -> Hearing | None:
        return self._track(
            await self._session.get(Hearing, hearing_id, with_for_update=for_update or None)
        )

    async def find(
        self, where: HearingFilter, page: Page, *, for_update: bool = False
    ) -> Sequence[Hearing]:
        statement = select(Hearing).order_by(hearings.c.starts_at, hearings.c.id)
        if where.committee:
            statement = statement.where(hearings.c.committee == where.committee)
        if where.session:
            statement = statement.where(hearings.c.session == where.session)
        if where.item_id:
            statement = statement.where(hearings.c.item_id == where.item_id)
        if where.status:
            statement = statement.where(hearings.c.status == where.status)
        if where.starts_from:
            statement = statement.where(hearings.c.starts_at >= where.starts_from)
        if where.starts_before:
            statement = statement.where(hearings.c.starts_at < where.starts_before)
        if not where.include_restricted:
            statement = statement.where(hearings.c.classification != "restricted")
        return await self._page(statement, page, for_update=for_update)

    async def lock_calendar(self, committee: str) -> None:
        """Serialise scheduling per committee, so two overlapping hearings cannot both pass."""
        await self._session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"planner.hearings:{committee}"},
        )

    async def overlapping(
        self, committee: str, starts_at: datetime, ends_at: datetime, exclude: uuid.UUID | None
    ) -> Sequence[Hearing]:
        statement = select(Hearing).where(
            hearings.c.committee == committee,
            hearings.c.status.in_(ACTIVE_STATUSES),
            hearings.c.starts_at < ends_at,
            hearings.c.ends_at > starts_at,
        )
        if exclude is not None:
            statement = statement.where(hearings.c.id != exclude)
        return list(await self._session.scalars(statement.order_by(hearings.c.starts_at)))


class SqlMeetingRepository(_Tracking):
    def add(self, meeting: Meeting) -> None:
        self._session.add(meeting)
        self.seen.add(meeting)

    async def get(self, meeting_id: uuid.UUID) -> Meeting | None:
        return self._track(await self._session.get(Meeting, meeting_id))

    async def reported(self, source: str, external_id: str) -> Meeting | None:
        statement = (
            select(Meeting).filter_by(source=source, external_id=external_id).with_for_update()
        )
        return self._track((await self._session.scalars(statement)).first())

    async def find(
        self, where: MeetingFilter, page: Page, *, for_update: bool = False
    ) -> Sequence[Meeting]:
        statement = select(Meeting).order_by(meetings.c.held_at.desc(), meetings.c.id)
        if where.committee:
            statement = statement.where(meetings.c.committee == where.committee)
        if where.organization:
            statement = statement.where(meetings.c.organizations.contains([where.organization]))
        if where.item_id:
            statement = statement.where(meetings.c.item_id == where.item_id)
        if where.held_from:
            statement = statement.where(func.date(meetings.c.held_at) >= where.held_from)
        if where.held_before:
            statement = statement.where(func.date(meetings.c.held_at) < where.held_before)
        if not where.include_restricted:
            statement = statement.where(meetings.c.classification != "restricted")
        return await self._page(statement, page, for_update=for_update)
