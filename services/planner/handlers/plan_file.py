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
    ItemCategory,
    ItemStatus,
    LocalizedText,
    OrganizationCode,
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
