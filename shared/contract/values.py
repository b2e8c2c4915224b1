"""Value types the event payloads share: multilingual text, people, classifications."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

LanguageTag = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
NO_NUL = r"^[^\x00]*$"
"""PostgreSQL text cannot hold NUL characters: refuse them at the edge."""
NonEmptyText = Annotated[str, StringConstraints(min_length=1, max_length=20_000, pattern=NO_NUL)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=500, pattern=NO_NUL)]
OrganizationCode = Annotated[
    str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9-]{0,39}$", max_length=40)
]
CommitteeCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")]
SessionCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")]
Tag = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,59}$")]

MAX_LANGUAGES = 12
LocalizedText = Annotated[
    dict[LanguageTag, NonEmptyText],
    Field(
        description="Text per language (BCP 47 tag, e.g. az, en, ru), at most 12 languages.",
        max_length=MAX_LANGUAGES,
    ),
]
"""Text in one or more languages, keyed by language tag: ``{"az": "...", "en": "..."}``."""


def _plausible(moment: date) -> Any:
    if not 1900 <= moment.year <= 2200:
        raise ValueError("must lie between the years 1900 and 2200")
    return moment


def _written(shape: str, example: str) -> Any:
    """Refuse a time given as a number (read as seconds since 1970 otherwise): it must be
    RFC 3339 text, like the contract says."""
    pattern = re.compile(shape)

    def check(value: Any) -> Any:
        if isinstance(value, date):  # built in Python, not parsed
            return value
        if not isinstance(value, str) or not pattern.match(value):
            raise ValueError(f"must be written as RFC 3339 text, e.g. {example}")
        return value

    return BeforeValidator(check)


PLAUSIBLE_YEAR = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"
"""The JSON Schema's word for the years 1900-2200, at the start of a date or a time."""

OFFSET = re.compile(r"([Zz]|[+-]\d{2}(:?\d{2})?)$")


def _with_offset(value: Any) -> Any:
    if isinstance(value, str) and not OFFSET.search(value):
        raise ValueError(
            "needs its UTC offset (a time without a timezone is ambiguous), "
            "e.g. 2026-03-12T11:00:00+04:00 or 2026-03-12T07:00:00Z"
        )
    return value


Moment = Annotated[
    AwareDatetime,
    Field(json_schema_extra={"pattern": PLAUSIBLE_YEAR}),
    BeforeValidator(_with_offset),
    _written(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}", "2026-03-12T11:00:00+04:00"),
    AfterValidator(_plausible),
]
"""A point in time with its UTC offset, within years a parliament plans for."""
PLAUSIBLE_YEARS = Field(json_schema_extra={"pattern": PLAUSIBLE_YEAR})
DAY_AS_TEXT = _written(r"^\d{4}-\d{2}-\d{2}$", "2026-03-12")
Day = Annotated[date, PLAUSIBLE_YEARS, DAY_AS_TEXT, AfterValidator(_plausible)]
"""A calendar day (YYYY-MM-DD), within years a parliament plans for."""

Classification = Literal["public", "internal", "restricted"]
ItemStatus = Literal["planned", "in_progress", "completed", "deferred", "cancelled"]
HearingStatus = Literal["scheduled", "rescheduled", "held", "cancelled"]
HearingFormat = Literal["open", "closed"]
ItemCategory = Literal[
    "cooperation",
    "delegation_support",
    "meeting_series",
    "hearing",
    "advocacy_campaign",
    "recommendation",
    "review",
    "other",
]


class ContractModel(BaseModel):
    """Base of every payload: unknown fields are refused so typos surface as errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(ContractModel):
    """An invitee or witness of a hearing."""

    name: ShortText
    position: ShortText | None = None
    organization: ShortText | None = Field(default=None, description="Organisation code or name.")


class Participant(ContractModel):
    """Someone who took part in a meeting, with their role in it."""

    name: ShortText
    role: ShortText | None = None
    organization: ShortText | None = None
