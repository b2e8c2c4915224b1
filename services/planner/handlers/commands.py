"""What staff and other systems ask the planner to do (imperative, one handler each)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from services.planner.domain.organizations import OrganizationClassification
from shared.contract.values import (
    Classification,
    HearingFormat,
    ItemCategory,
    ItemStatus,
    Participant,
    Person,
)


@dataclass(frozen=True)
class CreateItem:
    committee: str
    session: str
    title: dict[str, str]
    category: ItemCategory
    description: dict[str, str] = field(default_factory=dict)
    organizations: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    period_start: date | None = None
    period_end: date | None = None
    classification: Classification = "public"
    tags: list[str] = field(default_factory=list)
    ref: str | None = None


@dataclass(frozen=True)
class UpdateItem:
    item_id: uuid.UUID
    changes: dict[str, Any]
    cleared: bool = False


@dataclass(frozen=True)
class ChangeItemStatus:
    item_id: uuid.UUID
    status: ItemStatus
    reason: str | None = None
    cleared: bool = False


@dataclass(frozen=True)
class ScheduleHearing:
    item_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    title: dict[str, str] | None = None
    location: str | None = None
    format: HearingFormat = "open"
    invitees: list[Person] = field(default_factory=list)
    witnesses: list[Person] = field(default_factory=list)
    organizations: list[str] | None = None
    allow_overlap: bool = False
    cleared: bool = False


@dataclass(frozen=True)
class RescheduleHearing:
    hearing_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    location: str | None = None
    reason: str | None = None
    allow_overlap: bool = False
    cleared: bool = False


@dataclass(frozen=True)
class CancelHearing:
    hearing_id: uuid.UUID
    reason: str
    cleared: bool = False


@dataclass(frozen=True)
class MarkHearingHeld:
    hearing_id: uuid.UUID
    held_at: datetime | None = None
    summary: dict[str, str] = field(default_factory=dict)
    cleared: bool = False


@dataclass(frozen=True)
class RecordMeeting:
    organizations: list[str]
    held_at: datetime
    item_id: uuid.UUID | None = None
    title: dict[str, str] = field(default_factory=dict)
    location: str | None = None
    participants: list[Participant] = field(default_factory=list)
    summary: dict[str, str] = field(default_factory=dict)
    outcomes: list[dict[str, str]] = field(default_factory=list)
    reported_by: str | None = None
    classification: Classification = "internal"
    cleared: bool = False


@dataclass(frozen=True)
class RegisterOrganization:
    code: str
    name: dict[str, str]
    classification: OrganizationClassification
    abbreviation: dict[str, str] = field(default_factory=dict)
    identifiers: dict[str, str] = field(default_factory=dict)
