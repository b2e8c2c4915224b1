"""A meeting with counterpart organisations, recorded by staff or reported by another system."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from services.planner.domain.recorded import RecordedEvent, RecordsEvents
from shared.contract.classification import effective_classification
from shared.contract.meetings import MeetingHeld, MeetingReclassified
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
    declared_classification: Classification = "internal"
    """What the recorder or reporter said; ``classification`` raises it to the item's."""
    classification: Classification = "internal"
    unlinked_reason: str | None = None
    """Why a reported meeting is not linked to the item its report names."""
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    version: int = 0
    events: list[RecordedEvent] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.held_at = self.held_at.astimezone(UTC)  # times leave in UTC, as hearings' do

    @classmethod
    def record(
        cls,
        *,
        source: str,
        item_classification: Classification | None,
        meeting_id: uuid.UUID | None = None,
        **fields: Any,
    ) -> Meeting:
        """Staff recorded a meeting: it leaves as ``meeting.held`` from the planner. Its id is
        new, or given (a plan file gives each of its meetings a stable one)."""
        meeting_id = meeting_id or uuid.uuid4()
        meeting = cls(id=meeting_id, source=source, external_id=str(meeting_id), **fields)
        meeting.classification = effective_classification(
            meeting.declared_classification, item_classification
        )
        meeting._record(MeetingHeld(**meeting.snapshot()))
        return meeting

    @classmethod
    def reported(
        cls,
        *,
        source: str,
        sequence: int | None,
        item_classification: Classification | None,
        **fields: Any,
    ) -> Meeting:
        """Another system reported a meeting; its event is already on the bus."""
        meeting = cls(source=source, version=sequence or 1, **fields)
        meeting.classification = effective_classification(
            meeting.declared_classification, item_classification
        )
        return meeting

    @property
    def recorded_here(self) -> bool:
        """Recorded through the planner (which then owns its events), not reported."""
        return self.external_id == str(self.id)

    def follow_item(self, item_classification: Classification) -> None:
        """Apply the classification rule after the item was reclassified; a meeting the
        planner recorded says so in ``meeting.reclassified`` (a reported one has no events
        of ours: consumers apply the rule through its ``item_id``)."""
        level = effective_classification(self.declared_classification, item_classification)
        if level == self.classification:
            return
        previous, self.classification = self.classification, level
        if self.recorded_here:
            self._record(MeetingReclassified(**self.snapshot(), previous_classification=previous))

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
