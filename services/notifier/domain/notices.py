"""A notice: what an event means to the people who follow it, independent of any channel."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from shared.contract import CloudEvent, EventData
from shared.contract.classification import is_restricted, stricter
from shared.contract.hearings import (
    HearingCancelled,
    HearingRescheduled,
    HearingSnapshot,
)
from shared.contract.items import ItemSnapshot, ItemStatusChanged, ItemUpdated


@dataclass(frozen=True)
class HearingFacts:
    hearing_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    timezone: str
    location: str | None
    status: str
    previous_starts_at: datetime | None = None
    previous_ends_at: datetime | None = None
    previous_location: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ItemFacts:
    status: str
    previous_status: str | None = None
    reason: str | None = None
    changed: tuple[str, ...] = ()


@dataclass(frozen=True)
class MeetingFacts:
    meeting_id: str
    held_at: datetime
    location: str | None
    summary: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Notice:
    source: str
    event_id: str
    event_type: str
    kind: str
    """``hearing.rescheduled``, ``item.created``, …: the type without prefix and version."""
    subject: str | None
    sequence: int | None
    occurred_at: datetime
    classification: str
    title: dict[str, str]
    committee: str | None = None
    item_id: uuid.UUID | None = None
    organizations: tuple[str, ...] = ()
    hearing: HearingFacts | None = None
    item: ItemFacts | None = None
    meeting: MeetingFacts | None = None

    @property
    def restricted(self) -> bool:
        return is_restricted(self.classification)

    @property
    def silent(self) -> bool:
        """A reclassification changes who may see a record and tells nobody anything new."""
        return self.kind in SILENT_KINDS

    @property
    def family(self) -> str:
        """``hearing``, ``item`` or ``meeting``."""
        return self.kind.split(".", 1)[0]


SILENT_KINDS = frozenset({"hearing.reclassified", "meeting.reclassified"})


def under_classification_rule(notice: Notice, item: str | None, *, vouched: bool) -> Notice:
    """The notice as restricted as the rule makes it: at least as its item (``item``, as
    the item's own events said; ``None`` when none was seen). An event of a source that
    applies the rule itself (the planner) is ``vouched`` for while its item is unknown
    here; an external report about an item unknown here is taken as restricted."""
    if notice.item_id is None or notice.family == "item":
        return notice
    if item is None:
        level = notice.classification if vouched else "restricted"
    else:
        level = stricter(notice.classification, item)
    return replace(notice, classification=level)


def kind_of(event_type: str) -> str:
    """``workplan.hearing.rescheduled.v1`` → ``hearing.rescheduled``."""
    parts = event_type.split(".")
    if parts and parts[0] == "workplan":
        parts = parts[1:]
    if parts and parts[-1].startswith("v") and parts[-1][1:].isdigit():
        parts = parts[:-1]
    return ".".join(parts)


def notice_of(event: CloudEvent, data: EventData) -> Notice:
    base = Notice(
        source=event.source,
        event_id=event.id,
        event_type=event.type,
        kind=kind_of(event.type),
        subject=event.subject,
        sequence=event.sequence_number,
        occurred_at=event.time or datetime.now(UTC),
        classification=data.classification,
        title=dict(data.title),
        committee=data.committee,
        item_id=data.item_id,
        organizations=tuple(data.organizations),
    )
    if isinstance(data, HearingSnapshot):
        return replace(base, hearing=_hearing_facts(data))
    if isinstance(data, ItemSnapshot):
        return replace(
            base,
            item=ItemFacts(
                status=data.status,
                previous_status=(
                    data.previous_status if isinstance(data, ItemStatusChanged) else None
                ),
                reason=data.reason if isinstance(data, ItemStatusChanged) else None,
                changed=tuple(data.changed) if isinstance(data, ItemUpdated) else (),
            ),
        )
    return replace(
        base,
        meeting=MeetingFacts(
            meeting_id=data.meeting_id,
            held_at=data.held_at,
            location=data.location,
            summary=dict(data.summary),
        ),
    )


def _hearing_facts(data: HearingSnapshot) -> HearingFacts:
    facts = HearingFacts(
        hearing_id=data.hearing_id,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        timezone=data.timezone,
        location=data.location,
        status=data.status,
    )
    if isinstance(data, HearingRescheduled):
        return replace(
            facts,
            previous_starts_at=data.previous_starts_at,
            previous_ends_at=data.previous_ends_at,
            previous_location=data.previous_location,
            reason=data.reason,
        )
    if isinstance(data, HearingCancelled):
        return replace(facts, reason=data.reason)
    return facts
