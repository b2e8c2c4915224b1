"""Committees, their sessions and the work plan of one committee for one session."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.planner.domain.errors import RuleViolation


def local_time(moment: datetime, zone: str) -> str:
    """A moment as people of the session read it: ``2026-03-12 11:00 (Asia/Baku)``."""
    return f"{moment.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M} ({zone})"


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

    def bounds(self) -> tuple[datetime, datetime]:
        """From the first day's midnight to the midnight after the last day, in its zone."""
        opens = datetime.combine(self.starts_on, time.min, self.zone)
        closes = datetime.combine(self.ends_on + timedelta(days=1), time.min, self.zone)
        return opens, closes

    def local(self, moment: datetime) -> str:
        return local_time(moment, self.timezone)

    def describe(self) -> str:
        return f"session {self.code} ({self.starts_on} to {self.ends_on}, {self.timezone})"

    def check_contains(self, starts_at: datetime, ends_at: datetime) -> None:
        """A hearing must lie inside its session (in the session's time zone)."""
        opens, closes = self.bounds()
        if starts_at < opens or ends_at > closes:
            raise RuleViolation(
                f"the hearing ({self.local(starts_at)} to {self.local(ends_at)}) lies outside "
                f"{self.describe()}"
            )

    def holds(self, moment: datetime) -> bool:
        opens, closes = self.bounds()
        return opens <= moment < closes

    def check_held_within(self, held_at: datetime, what: str) -> None:
        """A meeting of an item took place during the item's session."""
        if not self.holds(held_at):
            raise RuleViolation(f"{what} held {self.local(held_at)} lies outside {self.describe()}")


CLOCK_SKEW = timedelta(minutes=5)
"""How far ahead of this clock another system's clock may run."""


def check_not_in_future(held_at: datetime, now: datetime, what: str, zone: str = "UTC") -> None:
    """Something reported as held has happened: it cannot be held after now."""
    if held_at > now + CLOCK_SKEW:
        shown = local_time(held_at, zone)
        raise RuleViolation(f"{what} is reported as held at {shown}, which is in the future")


@dataclass(eq=False)
class WorkPlan:
    committee_code: str
    session_code: str
    id: uuid.UUID = field(default_factory=uuid.uuid4)
