"""Payload of the meeting event (subject ``meeting/<meeting_id>``).

Published by the planner when staff record a meeting, and by registered external systems
(e.g. a ministry's system) when they report one.
"""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.contract.values import (
    Classification,
    CommitteeCode,
    ContractModel,
    LocalizedText,
    Moment,
    OrganizationCode,
    Participant,
    SessionCode,
    ShortText,
)


class MeetingHeld(ContractModel):
    """A meeting with one or more counterpart organisations took place."""

    event_type: ClassVar[str] = "workplan.meeting.held.v1"

    meeting_id: ShortText = Field(description="The reporting system's id of the meeting.")
    organizations: list[OrganizationCode] = Field(min_length=1)
    item_id: UUID | None = Field(
        default=None, description="The work-plan item it belongs to, when the reporter knows it."
    )
    committee: CommitteeCode | None = None
    session: SessionCode | None = None
    title: LocalizedText = Field(default_factory=dict)
    held_at: Moment
    location: ShortText | None = None
    participants: list[Participant] = Field(default_factory=list)
    summary: LocalizedText = Field(default_factory=dict)
    outcomes: list[LocalizedText] = Field(default_factory=list)
    reported_by: ShortText | None = None
    classification: Classification = Field(
        default="internal",
        description="At least as restricted as the item the meeting belongs to.",
    )

    @property
    def subject(self) -> str:
        return f"meeting/{self.meeting_id}"


class MeetingReclassified(MeetingHeld):
    """A meeting recorded through the planner followed its item's new classification.

    The planner publishes it for the meetings it recorded itself (it owns their sequence);
    a meeting another system reported keeps that system's event, and consumers apply the
    rule through its ``item_id``.
    """

    event_type: ClassVar[str] = "workplan.meeting.reclassified.v1"

    previous_classification: Classification
