"""Committees, their sessions and the work plan of one committee for one session."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.planner.domain.errors import RuleViolation


@dataclass(eq=False)
class Committee:
    code: str
    name: dict[str, str]
    parliament: dict[str, str] = field(default_factory=dict)


@dataclass(eq=False)
class Session:
    committee_code: str
    code: str
    name: dict[str, str]
    starts_on: date
    ends_on: date
    timezone: str

    def __post_init__(self) -> None:
        if self.ends_on < self.starts_on:
            raise RuleViolation(
                f"session {self.code} ends on {self.ends_on} before it starts on {self.starts_on}"
            )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def check_contains(self, starts_at: datetime, ends_at: datetime) -> None:
        """A hearing must lie inside its session (in the session's time zone)."""
        opens = datetime.combine(self.starts_on, time.min, self.zone)
        closes = datetime.combine(self.ends_on + timedelta(days=1), time.min, self.zone)
        if starts_at < opens or ends_at > closes:
            raise RuleViolation(
                f"the hearing ({starts_at.isoformat()} to {ends_at.isoformat()}) lies outside "
                f"session {self.code} ({self.starts_on} to {self.ends_on}, {self.timezone})"
            )


@dataclass(eq=False)
class WorkPlan:
    committee_code: str
    session_code: str
    id: uuid.UUID = field(default_factory=uuid.uuid4)
