"""A hearing of an item: scheduled, rescheduled any number of times, then held or cancelled.

A cancelled hearing is kept, with its reason and the start it had; it cannot be held.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from services.planner.domain.errors import Conflict, RuleViolation
from services.planner.domain.recorded import RecordedEvent, RecordsEvents
from services.planner.domain.sessions import local_time
from shared.contract.hearings import (
    HearingCancelled,
    HearingHeld,
    HearingReclassified,
    HearingRescheduled,
    HearingScheduled,
)
from shared.contract.values import Classification, HearingFormat, HearingStatus, Person

ACTIVE_STATUSES = frozenset({"scheduled", "rescheduled"})


@dataclass(eq=False)
class Hearing(RecordsEvents):
    item_id: uuid.UUID
    committee: str
    session: str
    timezone: str
    classification: Classification
    title: dict[str, str]
    starts_at: datetime
    ends_at: datetime
    location: str | None = None
    format: HearingFormat = "open"
    invitees: list[Person] = field(default_factory=list)
    witnesses: list[Person] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    status: HearingStatus = "scheduled"
    cancel_reason: str | None = None
    previous_starts_at: datetime | None = None
    held_at: datetime | None = None
    summary: dict[str, str] = field(default_factory=dict)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    version: int = 0
    events: list[RecordedEvent] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        _check_times(self.starts_at, self.ends_at, self.timezone)
        self.starts_at, self.ends_at = self.starts_at.astimezone(UTC), self.ends_at.astimezone(UTC)

    @classmethod
    def schedule(cls, **fields: Any) -> Hearing:
        hearing = cls(**fields)
        hearing._record(HearingScheduled(**hearing.snapshot()))
        return hearing

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def reschedule(
        self,
        starts_at: datetime,
        ends_at: datetime,
        *,
        location: str | None = None,
        reason: str | None = None,
    ) -> None:
        self._require_active("rescheduled")
        _check_times(starts_at, ends_at, self.timezone)
        new_location = location if location is not None else self.location
        if (starts_at, ends_at, new_location) == (self.starts_at, self.ends_at, self.location):
            # datetimes compare as instants, whatever their offsets
            raise Conflict(f"hearing {self.id} is already at that time and place")
        previous = (self.starts_at, self.ends_at, self.location)
        self.previous_starts_at = self.starts_at
        self.starts_at, self.ends_at = starts_at.astimezone(UTC), ends_at.astimezone(UTC)
        self.location = new_location
        self.status = "rescheduled"
        self._record(
            HearingRescheduled(
                **self.snapshot(),
                previous_starts_at=previous[0],
                previous_ends_at=previous[1],
                previous_location=previous[2],
                reason=reason,
            )
        )

    def cancel(self, reason: str) -> None:
        self._require_active("cancelled")
        self.status, self.cancel_reason = "cancelled", reason
        self._record(HearingCancelled(**self.snapshot(), reason=reason))

    def mark_held(self, held_at: datetime, summary: dict[str, str]) -> None:
        if self.status == "cancelled":
            raise Conflict(
                f"hearing {self.id} was cancelled ({self.cancel_reason}) and cannot be held"
            )
        self._require_active("held")
        self.status, self.held_at, self.summary = "held", held_at.astimezone(UTC), summary
        self._record(HearingHeld(**self.snapshot(), held_at=held_at, summary=summary))

    def follow_item(self, item_classification: Classification) -> None:
        """A hearing is exactly as classified as its item: follow it, and say so."""
        if item_classification == self.classification:
            return
        previous, self.classification = self.classification, item_classification
        self._record(
            HearingReclassified(
                **self.snapshot(),
                previous_classification=previous,
                reason=self.cancel_reason,
                held_at=self.held_at,
                summary=self.summary,
            )
        )

    def _require_active(self, becoming: str) -> None:
        if not self.is_active:
            raise Conflict(f"hearing {self.id} is {self.status} and cannot be {becoming}")

    def snapshot(self) -> dict[str, Any]:
        return {
            "hearing_id": self.id,
            "item_id": self.item_id,
            "committee": self.committee,
            "session": self.session,
            "classification": self.classification,
            "title": self.title,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "timezone": self.timezone,
            "location": self.location,
            "format": self.format,
            "invitees": self.invitees,
            "witnesses": self.witnesses,
            "organizations": self.organizations,
            "status": self.status,
        }


def _check_times(starts_at: datetime, ends_at: datetime, zone: str) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise RuleViolation("hearing times must carry a time zone offset")
    if ends_at <= starts_at:
        raise RuleViolation(
            "the hearing must end after it starts "
            f"({local_time(ends_at, zone)} is not after {local_time(starts_at, zone)})"
        )
