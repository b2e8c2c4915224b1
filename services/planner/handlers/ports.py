"""What the handlers need from storage; the adapters implement it on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, Protocol, Self, TypeVar

from services.planner.domain.hearings import Hearing
from services.planner.domain.items import Item
from services.planner.domain.meetings import Meeting
from services.planner.domain.organizations import Organization
from services.planner.domain.sessions import Committee, Session, WorkPlan
from shared.contract import CloudEvent

T = TypeVar("T")


@dataclass(frozen=True)
class Page:
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True)
class Listing(Generic[T]):
    """A page of a list, and how many the whole list holds."""

    rows: Sequence[T]
    total: int


@dataclass(frozen=True)
class ItemFilter:
    committee: str | None = None
    session: str | None = None
    status: str | None = None
    category: str | None = None
    organization: str | None = None
    owner: str | None = None
    text: str | None = None
    """Words in the title, description, ref, tags or owners; case and Azerbaijani letters
    folded (``xocali`` finds ``Xocalı``)."""
    include_restricted: bool = False


@dataclass(frozen=True)
class PlanSummary:
    """A work plan at a glance: items per status, and who and what its items name."""

    statuses: dict[str, int]
    owners: list[str]
    organizations: list[str]

    @property
    def total(self) -> int:
        return sum(self.statuses.values())


@dataclass(frozen=True)
class HearingFilter:
    committee: str | None = None
    session: str | None = None
    item_id: uuid.UUID | None = None
    status: str | None = None
    starts_from: datetime | None = None
    starts_before: datetime | None = None
    include_restricted: bool = False


@dataclass(frozen=True)
class MeetingFilter:
    committee: str | None = None
    organization: str | None = None
    item_id: uuid.UUID | None = None
    held_from: date | None = None
    held_before: date | None = None
    include_restricted: bool = False


class OrganizationRepository(Protocol):
    def add(self, organization: Organization) -> None: ...
    async def get(self, code: str) -> Organization | None: ...
    async def all(self) -> Sequence[Organization]: ...
    async def unknown(self, codes: Sequence[str]) -> list[str]: ...


class PlanRepository(Protocol):
    def add(self, thing: Committee | Session | WorkPlan) -> None: ...
    async def committee(self, code: str) -> Committee | None: ...
    async def session(self, committee: str, code: str) -> Session | None: ...
    async def work_plan(self, committee: str, session: str) -> WorkPlan | None: ...
    async def work_plans(self) -> Sequence[WorkPlan]: ...
    async def committees(self) -> Sequence[Committee]: ...
    async def sessions(self) -> Sequence[Session]: ...


class ItemRepository(Protocol):
    def add(self, item: Item) -> None: ...
    async def get(self, item_id: uuid.UUID, *, for_update: bool = False) -> Item | None: ...
    async def by_ref(self, work_plan_id: uuid.UUID, ref: str) -> Item | None: ...
    async def find(self, where: ItemFilter, page: Page) -> Sequence[Item]: ...
    async def summary(self, where: ItemFilter) -> PlanSummary: ...
    async def count(self, where: ItemFilter) -> int: ...
    async def open_for_organization(
        self, code: str, *, include_restricted: bool
    ) -> Sequence[Item]: ...


class HearingRepository(Protocol):
    def add(self, hearing: Hearing) -> None: ...
    async def get(self, hearing_id: uuid.UUID, *, for_update: bool = False) -> Hearing | None: ...
    async def find(
        self, where: HearingFilter, page: Page, *, for_update: bool = False
    ) -> Sequence[Hearing]: ...
    async def count(self, where: HearingFilter) -> int: ...
    async def lock_calendar(self, committee: str) -> None: ...
    async def overlapping(
        self, committee: str, starts_at: datetime, ends_at: datetime, exclude: uuid.UUID | None
    ) -> Sequence[Hearing]: ...


class MeetingRepository(Protocol):
    def add(self, meeting: Meeting) -> None: ...
    async def get(self, meeting_id: uuid.UUID) -> Meeting | None: ...
    async def reported(self, source: str, external_id: str) -> Meeting | None: ...
    async def find(
        self, where: MeetingFilter, page: Page, *, for_update: bool = False
    ) -> Sequence[Meeting]: ...
    async def count(self, where: MeetingFilter) -> int: ...


class UnitOfWork(Protocol):
    """One transaction: repositories, the inbox, and the events the aggregates recorded."""

    @property
    def organizations(self) -> OrganizationRepository: ...
    @property
    def plans(self) -> PlanRepository: ...
    @property
    def items(self) -> ItemRepository: ...
    @property
    def hearings(self) -> HearingRepository: ...
    @property
    def meetings(self) -> MeetingRepository: ...
    @property
    def source(self) -> str:
        """The CloudEvents ``source`` of the events this planner emits."""

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None:
        """Write the recorded events to the outbox and commit, all in one transaction."""

    async def seen_before(self, event: CloudEvent) -> bool:
        """Record an incoming event in the inbox; ``True`` if it was already processed."""
