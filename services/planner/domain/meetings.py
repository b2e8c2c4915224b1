"""A meeting with counterpart organisations, recorded by staff or reported by another system."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.planner.domain.recorded import RecordedEvent, RecordsEvents
from shared.contract.meetings import MeetingHeld
from shared.contract.values import Classification, Participant


@dataclass(eq=False)
class Meeting(RecordsEvents):
    source: str
    external_id: str
    organizations: list[str]
    held_at: datetime
    item_id: uuid.UUID | None = None
    committee: str | None = None
    session: str | None = None
    title: dict[str, str] = field(default_factory=dict)
    location: str | None = None
    participants: list[Participant] = field(default_factory=list)
    summary: dict[str, str] = field(default_factory=dict)
    outcomes: list[dict[str, str]] = field(default_factory=list)
    reported_by: str | None = None
    classification: Classification = "internal"
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    version: int = 0
    events: list[RecordedEvent] = field(default_factory=list, repr=False)

    @classmethod
    def record(cls, *, source: str, meeting_id: uuid.UUID | None = None, **fields: Any) -> Meeting:
        """Staff recorded a meeting: it leaves as ``meeting.held`` from the planner. Its id is
        new, or given (a plan file gives each of its meetings a stable one)."""
        meeting_id = meeting_id or uuid.uuid4()
        meeting = cls(id=meeting_id, source=source, external_id=str(meeting_id), **fields)
        meeting._record(MeetingHeld(**meeting.snapshot()))
        return meeting

    @classmethod
    def reported(cls, *, source: str, sequence: int | None, **fields: Any) -> Meeting:
        """Another system reported a meeting; its event is already on the bus."""
        return cls(source=source, version=sequence or 1, **fields)

    def snapshot(self) -> dict[str, Any]:
        return {
            "meeting_id": self.external_id,
            "organizations": self.organizations,
            "item_id": self.item_id,
            "committee": self.committee,
            "session": self.session,
            "title": self.title,
            "held_at": self.held_at,
            "location": self.location,
            "participants": self.participants,
            "summary": self.summary,
            "outcomes": self.outcomes,
            "reported_by": self.reported_by,
            "classification": self.classification,
        }
