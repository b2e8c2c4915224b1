"""The work-plan file (YAML, ``format: workplan/v1``): a committee's plan for one session."""

from __future__ import annotations

from datetime import date
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.planner.domain.organizations import IdentifierScheme, OrganizationClassification
from shared.contract.values import (
    Classification,
    CommitteeCode,
    HearingFormat,
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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CommitteeEntry(_Strict):
    code: CommitteeCode
    name: LocalizedText = Field(min_length=1)
    parliament: LocalizedText = Field(default_factory=dict)


class SessionEntry(_Strict):
    code: SessionCode
    name: LocalizedText = Field(min_length=1)
    starts_on: date
    ends_on: date
    timezone: str

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: name too long
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("starts_on", "ends_on")
    @classmethod
    def _plausible(cls, value: date) -> date:
        if not 1900 <= value.year <= 2200:
            raise ValueError("must lie between the years 1900 and 2200")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> SessionEntry:
        if self.ends_on < self.starts_on:
            raise ValueError(f"session ends on {self.ends_on}, before it starts ({self.starts_on})")
        return self


class OrganizationEntry(_Strict):
    code: OrganizationCode
    name: LocalizedText = Field(min_length=1)
    abbreviation: LocalizedText = Field(default_factory=dict)
    classification: OrganizationClassification
    identifiers: dict[IdentifierScheme, ShortText] = Field(default_factory=dict, max_length=50)


class Period(_Strict):
    start: date | None = None
    end: date | None = None


class HearingEntry(_Strict):
    """A hearing the plan already fixes. Scheduled when first imported; afterwards it moves
    with the committee's work (rescheduled, held, cancelled), not with the file."""

    ref: Tag
    title: LocalizedText | None = Field(default=None, min_length=1)
    """The item's title when not given."""
    starts_at: Moment
    ends_at: Moment
    location: ShortText | None = None
    format: HearingFormat = "open"
    invitees: list[Person] = Field(default_factory=list, max_length=500)
    witnesses: list[Person] = Field(default_factory=list, max_length=500)
    organizations: list[OrganizationCode] | None = Field(default=None, max_length=100)
    """The item's organisations when not given."""

    @model_validator(mode="after")
    def _ordered(self) -> HearingEntry:
        if self.ends_at <= self.starts_at:
            raise ValueError(f"hearing {self.ref} ends at {self.ends_at}, not after it starts")
        return self


class MeetingEntry(_Strict):
    """A meeting held for the item, recorded when first imported (``meeting.held``)."""

    ref: Tag
    organizations: list[OrganizationCode] = Field(min_length=1, max_length=50)
    held_at: Moment
    title: LocalizedText = Field(default_factory=dict)
    location: ShortText | None = None
    participants: list[Participant] = Field(default_factory=list, max_length=500)
    summary: LocalizedText = Field(default_factory=dict)
    outcomes: list[LocalizedText] = Field(default_factory=list, max_length=100)
    reported_by: ShortText | None = None
    classification: Classification = "internal"


class ItemEntry(_Strict):
    ref: Tag
    title: LocalizedText = Field(min_length=1)
    description: LocalizedText = Field(default_factory=dict)
    category: ItemCategory
    organizations: list[OrganizationCode] = Field(default_factory=list)
    owners: list[ShortText] = Field(default_factory=list)
    period: Period = Field(default_factory=Period)
    status: ItemStatus = "planned"
    classification: Classification = "public"
    tags: list[Tag] = Field(default_factory=list)
    hearings: list[HearingEntry] = Field(default_factory=list, max_length=100)
    meetings: list[MeetingEntry] = Field(default_factory=list, max_length=500)

    @model_validator(mode="after")
    def _unique_refs(self) -> ItemEntry:
        refs = [hearing.ref for hearing in self.hearings]
        refs += [meeting.ref for meeting in self.meetings]
        repeated = sorted({ref for ref in refs if refs.count(ref) > 1})
        if repeated:
            raise ValueError(
                f"hearing and meeting refs of item {self.ref} must be unique; repeated: "
                + ", ".join(repeated)
            )
        return self


class PlanFile(_Strict):
    format: Literal["workplan/v1"]
    committee: CommitteeEntry
    session: SessionEntry
    organizations: list[OrganizationEntry] = Field(default_factory=list)
    items: list[ItemEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> PlanFile:
        refs = [item.ref for item in self.items]
        duplicates = sorted({ref for ref in refs if refs.count(ref) > 1})
        if duplicates:
            raise ValueError(f"item refs must be unique; repeated: {', '.join(duplicates)}")
        codes = [organization.code for organization in self.organizations]
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            raise ValueError(f"organisation codes must be unique; repeated: {', '.join(repeated)}")
        return self

    def organization_codes(self) -> set[str]:
        return {organization.code for organization in self.organizations}

    def named_organization_codes(self) -> set[str]:
        """Every organisation the items, their hearings and their meetings name."""
        named = set()
        for item in self.items:
            named.update(item.organizations)
            for hearing in item.hearings:
                named.update(hearing.organizations or ())
            for meeting in item.meetings:
                named.update(meeting.organizations)
        return named
