"""Repositories of the planner's aggregates: SQL on the unit of work's connection.

Every aggregate they return is remembered by the unit of work as read, so its commit can
check it is unchanged and write what changed. ``for_update`` locks the rows (``FOR
UPDATE``, in a transaction held until the commit): only where a rule needs more than that
check, such as reclassifying every hearing of an item.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

import asyncpg

from services.planner.adapters.records import (
    COMMITTEES,
    HEARINGS,
    ITEMS,
    MEETINGS,
    ORGANIZATIONS,
    SESSIONS,
    WORK_PLANS,
    RecordType,
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

A = TypeVar("A")


class Reads(Protocol):
    """What the repositories need of the unit of work."""

    async def fetch(self, sql: str, *arguments: Any) -> list[asyncpg.Record]: ...
    async def load(
        self, record: RecordType[A], sql: str, *arguments: Any, lock: bool = False
    ) -> list[A]: ...
    async def load_one(
        self, record: RecordType[A], sql: str, *arguments: Any, lock: bool = False
    ) -> A | None: ...
    def add(self, aggregate: object) -> None: ...
    async def begin(self) -> None: ...


class Conditions:
    """A ``WHERE`` clause and its arguments, numbered as they are added (``?`` → ``$n``)."""

    def __init__(self) -> None:
        self.terms: list[str] = []
        self.arguments: list[Any] = []

    def add(self, term: str, *values: Any) -> None:
        for value in values:
            self.arguments.append(value)
            term = term.replace("?", f"${len(self.arguments)}", 1)
        self.terms.append(term)

    def sql(self) -> str:
        return f" WHERE {' AND '.join(self.terms)}" if self.terms else ""

    def paged(self, page: Page) -> str:
        """``LIMIT`` and ``OFFSET`` of the page, as arguments too."""
        self.arguments += [page.limit, page.offset]
        count = len(self.arguments)
        return f" LIMIT ${count - 1} OFFSET ${count}"


class _Repository:
    def __init__(self, uow: Reads) -> None:
        self._uow = uow

    async def _count(self, record: RecordType[Any], where: Conditions) -> int:
        rows = await self._uow.fetch(
            f"SELECT count(*) FROM {record.table} t{where.sql()}",  # noqa: S608
            *where.arguments,
        )
        return int(rows[0][0])


class KnownOrganizations:
    """Codes of organisations found registered, kept by the process: an organisation is
    never deleted, so a code once found stays known, and a command naming only known ones
    needs no query to check them. At most ``LIMIT`` codes (then it starts afresh)."""

    LIMIT = 10_000

    def __init__(self) -> None:
        self._codes: set[str] = set()

    def __contains__(self, code: object) -> bool:
        return code in self._codes

    def add(self, codes: set[str]) -> None:
        if len(self._codes) + len(codes) > self.LIMIT:
            self._codes.clear()
        self._codes |= codes


class SqlOrganizationRepository(_Repository):
    def __init__(self, uow: Reads, known: KnownOrganizations) -> None:
        super().__init__(uow)
        self._known = known

    def add(self, organization: Organization) -> None:
        self._uow.add(organization)

    async def get(self, code: str) -> Organization | None:
        return await self._uow.load_one(
            ORGANIZATIONS, f"{ORGANIZATIONS.select} WHERE t.code = $1", code
        )

    async def all(self) -> Sequence[Organization]:
        return await self._uow.load(ORGANIZATIONS, f"{ORGANIZATIONS.select} ORDER BY t.code")

    async def unknown(self, codes: Sequence[str]) -> list[str]:
        asked = [code for code in codes if code not in self._known]
        if not asked:
            return []
        rows = await self._uow.fetch(
            "SELECT code FROM planner.organizations WHERE code = ANY($1::text[])", asked
        )
        found = {row[0] for row in rows}
        self._known.add(found)
        return [code for code in asked if code not in found]


class SqlPlanRepository(_Repository):
    def add(self, thing: Committee | Session | WorkPlan) -> None:
        self._uow.add(thing)

    async def committee(self, code: str) -> Committee | None:
        return await self._uow.load_one(COMMITTEES, f"{COMMITTEES.select} WHERE t.code = $1", code)

    async def session(self, committee: str, code: str) -> Session | None:
        return await self._uow.load_one(
            SESSIONS,
            f"{SESSIONS.select} WHERE t.committee_code = $1 AND t.code = $2",
            committee,
            code,
        )

    async def work_plan(self, committee: str, session: str) -> WorkPlan | None:
        return await self._uow.load_one(
            WORK_PLANS,
            f"{WORK_PLANS.select} WHERE t.committee_code = $1 AND t.session_code = $2",
            committee,
            session,
        )

    async def work_plans(self) -> Sequence[WorkPlan]:
        return await self._uow.load(WORK_PLANS, WORK_PLANS.select)

    async def committees(self) -> Sequence[Committee]:
        return await self._uow.load(COMMITTEES, f"{COMMITTEES.select} ORDER BY t.code")

    async def sessions(self) -> Sequence[Session]:
        return await self._uow.load(
            SESSIONS, f"{SESSIONS.select} ORDER BY t.committee_code, t.starts_on DESC, t.code"
        )


class SqlItemRepository(_Repository):
    def add(self, item: Item) -> None:
        self._uow.add(item)

    async def get(self, item_id: uuid.UUID, *, for_update: bool = False) -> Item | None:
        return await self._uow.load_one(
            ITEMS, f"{ITEMS.select} WHERE t.id = $1", item_id, lock=for_update
        )

    async def by_ref(self, work_plan_id: uuid.UUID, ref: str) -> Item | None:
        return await self._uow.load_one(
            ITEMS, f"{ITEMS.select} WHERE t.work_plan_id = $1 AND t.ref = $2", work_plan_id, ref
        )

    async def find(self, where: ItemFilter, page: Page) -> Sequence[Item]:
        """By committee, session and reference (items without one last, oldest first)."""
        conditions = _items(where)
        order = " ORDER BY t.committee, t.session, t.ref NULLS LAST, t.created_at, t.id"
        return await self._uow.load(
            ITEMS,
            f"{ITEMS.select}{conditions.sql()}{order}{conditions.paged(page)}",
            *conditions.arguments,
        )

    async def count(self, where: ItemFilter) -> int:
        return await self._count(ITEMS, _items(where))

    async def summary(self, where: ItemFilter) -> PlanSummary:
        """Counts per status, owners and organisations of the matching items, in one scan."""
        conditions = _items(where)
        rows = await self._uow.fetch(
            f"""
            WITH matched AS MATERIALIZED (
                SELECT t.status, t.owners, t.organizations FROM planner.items t{conditions.sql()}
            )
            SELECT 'status', status, count(*) FROM matched GROUP BY status
            UNION ALL
            SELECT 'owner', owner, 0 FROM matched, unnest(owners) AS owner GROUP BY owner
            UNION ALL
            SELECT 'organization', code, 0 FROM matched, unnest(organizations) AS code
            GROUP BY code
            """,  # noqa: S608 - the conditions are ours, their values arguments
            *conditions.arguments,
        )
        statuses: dict[str, int] = {}
        owners: list[str] = []
        organizations: list[str] = []
        for kind, value, count in rows:
            if kind == "status":
                statuses[value] = int(count)
            elif kind == "owner":
                owners.append(value)
            else:
                organizations.append(value)
        return PlanSummary(statuses, sorted(owners), sorted(organizations))

    async def open_for_organization(self, code: str, *, include_restricted: bool) -> Sequence[Item]:
        """Open items naming the organisation: in progress first, then oldest first."""
        conditions = Conditions()
        conditions.add("t.organizations @> ?::text[]", [code])
        conditions.add("t.status = ANY(?::text[])", sorted(OPEN_STATUSES))
        if not include_restricted:
            conditions.add("t.classification <> 'restricted'")
        order = " ORDER BY (t.status <> 'in_progress'), t.created_at, t.id"
        return await self._uow.load(
            ITEMS, f"{ITEMS.select}{conditions.sql()}{order}", *conditions.arguments
        )


def _items(where: ItemFilter) -> Conditions:
    conditions = Conditions()
    if where.committee:
        conditions.add("t.committee = ?", where.committee)
    if where.session:
        conditions.add("t.session = ?", where.session)
    if where.status:
        conditions.add("t.status = ?", where.status)
    if where.category:
        conditions.add("t.category = ?", where.category)
    if where.organization:
        conditions.add("t.organizations @> ?::text[]", [where.organization])
    if where.owner:
        conditions.add("t.owners @> ?::text[]", [where.owner])
    if where.text:
        # title, description, ref, tags and owners, folded as _fold_text folds the words:
        # kept by a trigger, trigram-indexed (migration 0004_item_search_text)
        pattern = "%" + _escaped_like(_fold_text(where.text)) + "%"
        conditions.add("t.search_text LIKE ? ESCAPE '\\'", pattern)
    if not where.include_restricted:
        conditions.add("t.classification <> 'restricted'")
    return conditions


FOLD_FROM, FOLD_TO = "əıöüşçğ", "eiouscg"


def _fold_text(text: str) -> str:
    """The same folding in Python, for the searched words."""
    lowered = text.translate(str.maketrans("İI", "iı")).lower()
    return lowered.translate(str.maketrans(FOLD_FROM, FOLD_TO))


def _escaped_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SqlHearingRepository(_Repository):
    def add(self, hearing: Hearing) -> None:
        self._uow.add(hearing)

    async def get(self, hearing_id: uuid.UUID, *, for_update: bool = False) -> Hearing | None:
        return await self._uow.load_one(
            HEARINGS, f"{HEARINGS.select} WHERE t.id = $1", hearing_id, lock=for_update
        )

    async def find(
        self, where: HearingFilter, page: Page, *, for_update: bool = False
    ) -> Sequence[Hearing]:
        """By start, earliest first."""
        conditions = _hearings(where)
        return await self._uow.load(
            HEARINGS,
            f"{HEARINGS.select}{conditions.sql()} ORDER BY t.starts_at, t.id"
            f"{conditions.paged(page)}",
            *conditions.arguments,
            lock=for_update,
        )

    async def count(self, where: HearingFilter) -> int:
        return await self._count(HEARINGS, _hearings(where))

    async def lock_calendar(self, committee: str) -> None:
        """Serialise scheduling per committee, so two overlapping hearings cannot both pass."""
        await self._uow.begin()
        await self._uow.fetch(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            f"planner.hearings:{committee}",
        )

    async def overlapping(
        self, committee: str, starts_at: datetime, ends_at: datetime, exclude: uuid.UUID | None
    ) -> Sequence[Hearing]:
        conditions = Conditions()
        conditions.add("t.committee = ?", committee)
        conditions.add("t.status = ANY(?::text[])", sorted(ACTIVE_STATUSES))
        conditions.add("t.starts_at < ?", ends_at)
        conditions.add("t.ends_at > ?", starts_at)
        if exclude is not None:
            conditions.add("t.id <> ?", exclude)
        return await self._uow.load(
            HEARINGS,
            f"{HEARINGS.select}{conditions.sql()} ORDER BY t.starts_at",
            *conditions.arguments,
        )


def _hearings(where: HearingFilter) -> Conditions:
    conditions = Conditions()
    if where.committee:
        conditions.add("t.committee = ?", where.committee)
    if where.session:
        conditions.add("t.session = ?", where.session)
    if where.item_id:
        conditions.add("t.item_id = ?", where.item_id)
    if where.status:
        conditions.add("t.status = ?", where.status)
    if where.starts_from:
        conditions.add("t.starts_at >= ?", where.starts_from)
    if where.starts_before:
        conditions.add("t.starts_at < ?", where.starts_before)
    if not where.include_restricted:
        conditions.add("t.classification <> 'restricted'")
    return conditions


class SqlMeetingRepository(_Repository):
    def add(self, meeting: Meeting) -> None:
        self._uow.add(meeting)

    async def get(self, meeting_id: uuid.UUID) -> Meeting | None:
        return await self._uow.load_one(MEETINGS, f"{MEETINGS.select} WHERE t.id = $1", meeting_id)

    async def reported(self, source: str, external_id: str) -> Meeting | None:
        return await self._uow.load_one(
            MEETINGS,
            f"{MEETINGS.select} WHERE t.source = $1 AND t.external_id = $2",
            source,
            external_id,
            lock=True,
        )

    async def find(
        self, where: MeetingFilter, page: Page, *, for_update: bool = False
    ) -> Sequence[Meeting]:
        """Latest held first."""
        conditions = _meetings(where)
        return await self._uow.load(
            MEETINGS,
            f"{MEETINGS.select}{conditions.sql()} ORDER BY t.held_at DESC, t.id"
            f"{conditions.paged(page)}",
            *conditions.arguments,
            lock=for_update,
        )

    async def count(self, where: MeetingFilter) -> int:
        return await self._count(MEETINGS, _meetings(where))


def _meetings(where: MeetingFilter) -> Conditions:
    conditions = Conditions()
    if where.committee:
        conditions.add("t.committee = ?", where.committee)
    if where.organization:
        conditions.add("t.organizations @> ?::text[]", [where.organization])
    if where.item_id:
        conditions.add("t.item_id = ?", where.item_id)
    if where.held_from:
        conditions.add("date(t.held_at) >= ?", where.held_from)
    if where.held_before:
        conditions.add("date(t.held_at) < ?", where.held_before)
    if not where.include_restricted:
        conditions.add("t.classification <> 'restricted'")
    return conditions
