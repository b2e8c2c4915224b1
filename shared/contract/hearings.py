"""Payloads of the hearing events (subject ``hearing/<hearing_id>``)."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.contract.values import (
    Classification,
    CommitteeCode,
    ContractModel,
    HearingFormat,
    HearingStatus,
    LocalizedText,
    Moment,
    OrganizationCode,
    Person,
    SessionCode,
    ShortText,
)


class HearingSnapshot(ContractModel):
    """The whole state of a hearing after the change the event reports."""

    hearing_id: UUID
    item_id: UUID
    committee: CommitteeCode
    session: SessionCode
    classification: Classification
    title: LocalizedText = Field(min_length=1)
    starts_at: Moment
    ends_at: Moment
    timezone: ShortText = Field(description="IANA time zone of the session, e.g. Asia/Baku.")
    location: ShortText | None = None
    format: HearingFormat = "open"
    invitees: list[Person] = Field(default_factory=list)
    witnesses: list[Person] = Field(default_factory=list)
    organizations: list[OrganizationCode] = Field(default_factory=list)
    status: HearingStatus

    @property
    def subject(self) -> str:
        return f"hearing/{self.hearing_id}"


class HearingScheduled(HearingSnapshot):
    """A hearing was put on the committee's calendar."""

    event_type: ClassVar[str] = "workplan.hearing.scheduled.v1"


class HearingRescheduled(HearingSnapshot):
    """A hearing moved; the previous time and place are carried for the notice."""

    event_type: ClassVar[str] = "workplan.hearing.rescheduled.v1"

    previous_starts_at: Moment
    previous_ends_at: Moment
    previous_location: ShortText | None = None
    reason: ShortText | None = None


class HearingCancelled(HearingSnapshot):
    """A hearing was cancelled; it is kept, with its last start and the reason."""

    event_type: ClassVar[str] = "workplan.hearing.cancelled.v1"

    reason: ShortText


class HearingHeld(HearingSnapshot):
    """A hearing took place."""

    event_type: ClassVar[str] = "workplan.hearing.held.v1"

    held_at: Moment
    summary: LocalizedText = Field(default_factory=dict)


class HearingReclassified(HearingSnapshot):
    """The hearing's classification followed its item's (the classification rule)."""

    event_type: ClassVar[str] = "workplan.hearing.reclassified.v1"

    previous_classification: Classification
    reason: ShortText | None = Field(default=None, description="Why it was cancelled, if it was.")
    held_at: Moment | None = Field(default=None, description="When it was held, if it was.")
    summary: LocalizedText = Field(default_factory=dict)
