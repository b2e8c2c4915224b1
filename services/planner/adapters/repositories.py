"""Repositories of the planner's aggregates on an async SQLAlchemy session.

Each remembers the aggregates it handed out (``seen``) so the unit of work can collect
the events they recorded.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    func,
    literal,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from services.planner.adapters.orm import (
    committees,
    hearings,
    items,
    meetings,
    organizations,
    sessions,
)
from services.planner.domain.hearings import ACTIVE_STATUSES, Hearing
from services.planner.domain.items import OPEN_STATUSES, Item
from services.planner.domain.meetings import Meeting
from services.planner.domain.organizations import Organization
from services.planner.domain.sessions import Committee, Session, WorkPlan
from services.planner.handlers.ports import (
    HearingFilter,
    ItemFilter,
    MeetingFilter,
    Page,
    PlanSummary,
)

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

    async def _count(self, statement: Select[Any]) -> int:
        counted = select(func.count()).select_from(statement.order_by(None).subquery())
        return int(await self._session.scalar(counted) or 0)


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

    async def committees(self) -> Sequence[Committee]:
        return list(await self._session.scalars(select(Committee).order_by(committees.c.code)))

    async def sessions(self) -> Sequence[Session]:
        statement = select(Session).order_by(
            sessions.c.committee_code, sessions.c.starts_on.desc(), sessions.c.code
        )
        return list(await self._session.scalars(statement))


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
        """By committee, session and reference (items without one last, oldest first)."""
        return await self._page(
            self._filtered(where).order_by(
                items.c.committee,
                items.c.session,
                items.c.ref.asc().nulls_last(),
                items.c.created_at,
                items.c.id,
            ),
            page,
        )

    async def count(self, where: ItemFilter) -> int:
        return await self._count(self._filtered(where))

    def _filtered(self, where: ItemFilter) -> Select[Item]:
        return select(Item).where(*_item_conditions(where))

    async def summary(self, where: ItemFilter) -> PlanSummary:
        """Counts per status, owners and organisations of the matching items, in one scan."""
        matched = (
            select(items.c.status, items.c.owners, items.c.organizations)
            .where(*_item_conditions(where))
            .cte("matched")
            .prefix_with("MATERIALIZED")
        )
        owner = func.unnest(matched.c.owners).table_valued("name").alias("owner")
        code = func.unnest(matched.c.organizations).table_valued("code").alias("code")
        rows = await self._session.execute(
            union_all(
                select(literal("status"), matched.c.status, func.count()).group_by(
                    matched.c.status
                ),
                select(literal("owner"), owner.c.name, literal(0))
                .select_from(matched.join(owner, true()))
                .group_by(owner.c.name),
                select(literal("organization"), code.c.code, literal(0))
                .select_from(matched.join(code, true()))
                .group_by(code.c.code),
            )
        )
        statuses: dict[str, int] = {}
        owners: list[str] = []
        organizations: list[str] = []
        for kind, value, count in rows.all():
            if kind == "status":
                statuses[value] = int(count)
            elif kind == "owner":
                owners.append(value)
            else:
                organizations.append(value)
        return PlanSummary(statuses, sorted(owners), sorted(organizations))

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


def _item_conditions(where: ItemFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.committee:
        conditions.append(items.c.committee == where.committee)
    if where.session:
        conditions.append(items.c.session == where.session)
    if where.status:
        conditions.append(items.c.status == where.status)
    if where.category:
        conditions.append(items.c.category == where.category)
    if where.organization:
        conditions.append(items.c.organizations.contains([where.organization]))
    if where.owner:
        conditions.append(items.c.owners.contains([where.owner]))
    if where.text:
        # title, description, ref, tags and owners, folded as _fold_text folds the words:
        # kept by a trigger, trigram-indexed (migration 0004_item_search_text)
        pattern = "%" + _escaped_like(_fold_text(where.text)) + "%"
        conditions.append(items.c.search_text.like(pattern, escape="\\"))
    if not where.include_restricted:
        conditions.append(items.c.classification != "restricted")
    return conditions


FOLD_FROM, FOLD_TO = "əıöüşçğ", "eiouscg"


def _fold_text(text: str) -> str:
    """The same folding in Python, for the searched words."""
    lowered = text.translate(str.maketrans("İI", "iı")).lower()
    return lowered.translate(str.maketrans(FOLD_FROM, FOLD_TO))


def _escaped_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
        """By start, earliest first."""
        statement = self._filtered(where).order_by(hearings.c.starts_at, hearings.c.id)
        return await self._page(statement, page, for_update=for_update)

    async def count(self, where: HearingFilter) -> int:
        return await self._count(self._filtered(where))

    def _filtered(self, where: HearingFilter) -> Select[Hearing]:
        statement = select(Hearing)
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
        return statement

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
        """Latest held first."""
        statement = self._filtered(where).order_by(meetings.c.held_at.desc(), meetings.c.id)
        return await self._page(statement, page, for_update=for_update)

    async def count(self, where: MeetingFilter) -> int:
        return await self._count(self._filtered(where))

    def _filtered(self, where: MeetingFilter) -> Select[Meeting]:
        statement = select(Meeting)
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
        return statement
