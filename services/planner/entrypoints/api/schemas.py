"""Request and response bodies of the staff API, with OpenAPI examples."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator
from pydantic.json_schema import SkipJsonSchema

from services.planner.domain.organizations import IdentifierScheme, OrganizationClassification
from shared.contract.values import (
    Classification,
    CommitteeCode,
    Day,
    HearingFormat,
    HearingStatus,
    ItemCategory,
    ItemStatus,
    LocalizedText,
    Moment,
    OrganizationCode,
    Participant,
    Person,
    SessionCode,
    ShortText,
    Tag,
)

Unset = SkipJsonSchema[None]
"""A field a change may leave out, but not set to null."""


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class OrganizationIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "PACE",
                    "name": {"en": "Parliamentary Assembly of the Council of Europe"},
                    "classification": "international_parliamentary_assembly",
                }
            ]
        },
    )

    code: OrganizationCode
    name: LocalizedText = Field(min_length=1)
    classification: OrganizationClassification
    abbreviation: LocalizedText = Field(default_factory=dict)
    identifiers: dict[IdentifierScheme, ShortText] = Field(default_factory=dict, max_length=50)


class OrganizationOut(Out):
    code: str
    name: dict[str, str]
    classification: str
    abbreviation: dict[str, str]
    identifiers: dict[str, str]


class ItemIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "committee": "MM-IRIPT",
                    "session": "2026-spring",
                    "ref": "pace-spring-part-session",
                    "title": {
                        "az": "AŞPA-nın yaz sessiyasında iştirak",
                        "en": "Take part in the PACE spring part-session",
                    },
                    "category": "delegation_support",
                    "organizations": ["PACE"],
                    "owners": ["Head of the delegation to PACE"],
                    "period_start": "2026-04-20",
                    "period_end": "2026-04-24",
                    "classification": "public",
                    "tags": ["pace"],
                }
            ]
        },
    )

    committee: CommitteeCode
    session: SessionCode
    title: LocalizedText = Field(min_length=1)
    category: ItemCategory
    description: LocalizedText = Field(default_factory=dict)
    organizations: list[OrganizationCode] = Field(default_factory=list, max_length=100)
    owners: list[ShortText] = Field(default_factory=list, max_length=100)
    period_start: Day | None = None
    period_end: Day | None = None
    classification: Classification = "public"
    tags: list[Tag] = Field(default_factory=list, max_length=50)
    ref: Tag | None = None


class ItemPatch(Body):
    """Only the fields sent are changed; ``period_start``/``period_end`` may be set to null."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"owners": ["Committee chair"], "tags": ["priority"]}],
            "minProperties": 1,
        },
    )

    title: Annotated[LocalizedText, Field(min_length=1)] | Unset = None
    description: LocalizedText | Unset = None
    category: ItemCategory | Unset = None
    organizations: Annotated[list[OrganizationCode], Field(max_length=100)] | Unset = None
    owners: Annotated[list[ShortText], Field(max_length=100)] | Unset = None
    period_start: Day | None = None
    period_end: Day | None = None
    classification: Classification | Unset = None
    tags: Annotated[list[Tag], Field(max_length=50)] | Unset = None

    @model_validator(mode="after")
    def _no_null_for_required(self) -> ItemPatch:
        nullable = {"period_start", "period_end"}
        nulled = sorted(
            name for name in self.model_fields_set - nullable if getattr(self, name) is None
        )
        if nulled:
            raise ValueError(f"these fields cannot be null: {', '.join(nulled)}")
        if not self.model_fields_set:
            raise ValueError("send at least one field to change")
        return self

    def changes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set}


class StatusChangeIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"status": "deferred", "reason": "Moved to autumn"}]},
    )

    status: ItemStatus
    reason: ShortText | None = None


class ItemOut(Out):
    id: uuid.UUID
    ref: str | None
    committee: str
    session: str
    title: dict[str, str]
    description: dict[str, str]
    category: str
    organizations: list[str]
    owners: list[str]
    period_start: date | None
    period_end: date | None
    status: str
    classification: str
    tags: list[str]
    version: int = Field(description="The item's sequence: rises with every event about it.")


class HearingIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "starts_at": "2026-03-12T11:00:00+04:00",
                    "ends_at": "2026-03-12T13:00:00+04:00",
                    "title": {"en": "Hearing on the Justice for Khojaly campaign"},
                    "location": "Milli Majlis, Hall 2",
                    "format": "open",
                    "witnesses": [{"name": "A. Aliyeva", "position": "Researcher"}],
                }
            ]
        },
    )

    starts_at: Moment
    ends_at: Moment
    title: LocalizedText | None = Field(default=None, min_length=1)
    location: ShortText | None = None
    format: HearingFormat = "open"
    invitees: list[Person] = Field(default_factory=list, max_length=500)
    witnesses: list[Person] = Field(default_factory=list, max_length=500)
    organizations: list[OrganizationCode] | None = Field(default=None, max_length=100)
    allow_overlap: StrictBool = Field(
        default=False, description="Schedule even if it overlaps another hearing."
    )


class RescheduleIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "starts_at": "2026-03-19T11:00:00+04:00",
                    "ends_at": "2026-03-19T13:00:00+04:00",
                    "reason": "The rapporteur is abroad on the 12th",
                }
            ]
        },
    )

    starts_at: Moment
    ends_at: Moment
    location: ShortText | None = None
    reason: ShortText | None = None
    allow_overlap: StrictBool = False


class CancelIn(Body):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "Witnesses unavailable"}]}
    )

    reason: ShortText


class HeldIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"summary": {"en": "Three witnesses were heard."}}]},
    )

    held_at: Moment | None = None
    summary: LocalizedText = Field(default_factory=dict)


class HearingOut(Out):
    id: uuid.UUID
    item_id: uuid.UUID
    committee: str
    session: str
    timezone: str
    classification: str
    title: dict[str, str]
    starts_at: datetime
    ends_at: datetime
    location: str | None
    format: str
    invitees: list[Person]
    witnesses: list[Person]
    organizations: list[str]
    status: HearingStatus
    cancel_reason: str | None
    previous_starts_at: datetime | None
    held_at: datetime | None
    summary: dict[str, str]
    version: int


class MeetingIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "organizations": ["MFA"],
                    "held_at": "2026-02-18T10:00:00+04:00",
                    "title": {"en": "Briefing by the Ministry of Foreign Affairs"},
                    "participants": [{"name": "Deputy minister", "role": "speaker"}],
                    "summary": {"en": "Briefing on the spring agenda."},
                    "reported_by": "Committee secretariat",
                }
            ]
        },
    )

    organizations: list[OrganizationCode] = Field(min_length=1, max_length=50)
    held_at: Moment
    item_id: uuid.UUID | None = None
    title: LocalizedText = Field(default_factory=dict)
    location: ShortText | None = None
    participants: list[Participant] = Field(default_factory=list, max_length=500)
    summary: LocalizedText = Field(default_factory=dict)
    outcomes: list[LocalizedText] = Field(default_factory=list, max_length=100)
    reported_by: ShortText | None = None
    classification: Classification = "internal"


class MeetingOut(Out):
    id: uuid.UUID
    source: str
    external_id: str
    item_id: uuid.UUID | None
    committee: str | None
    session: str | None
    organizations: list[str]
    title: dict[str, str]
    held_at: datetime
    location: str | None
    participants: list[Participant]
    summary: dict[str, str]
    outcomes: list[dict[str, str]]
    reported_by: str | None
    classification: str = Field(description="At least as restricted as its item.")
    unlinked_reason: str | None = Field(
        description="Why a reported meeting is not linked to the item its report names."
    )


class ItemDetailOut(ItemOut):
    hearings: list[HearingOut]
    meetings: list[MeetingOut]


class SessionOut(Out):
    committee: str
    committee_name: dict[str, str]
    code: str
    name: dict[str, str]
    starts_on: date
    ends_on: date
    timezone: str = Field(description="IANA zone in which the session's times are given.")


class WorkPlanSummaryOut(Out):
    committee: str
    session: str
    total: int
    statuses: dict[str, int] = Field(description="Items per status (absent: none).")
    owners: list[str] = Field(description="Everyone the items name as responsible.")
    organizations: list[str] = Field(description="Every organisation the items name.")
