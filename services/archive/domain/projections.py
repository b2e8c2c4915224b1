"""Read-model state from events: every item, hearing and meeting event is a full snapshot.

Per subject the read model keeps the snapshot of the event with the highest ``sequence``
(a missing ``sequence`` counts as 1). An event with a lower or equal ``sequence`` than
the one applied is stale and changes nothing; gaps are accepted; so arrival order does
not matter, and replaying the log in any order gives the same state.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from shared.contract import EVENT_TYPES, CloudEvent, EventData, parse_data
from shared.contract.hearings import HearingSnapshot
from shared.contract.items import ItemSnapshot
from shared.contract.meetings import MeetingHeld

Kind = Literal["item", "hearing", "meeting"]


@dataclass(frozen=True)
class Projection:
    """The state of one subject as one event reports it."""

    kind: Kind
    key: str
    """item or hearing id, or the reporter's meeting id."""
    source: str
    version: int
    time: datetime
    event_type: str
    event_key: tuple[str, str]
    state: dict[str, Any]
    committee: str | None
    session: str | None
    classification: str
    status: str | None
    category: str | None
    organizations: tuple[str, ...]
    item_id: uuid.UUID | None
    starts_at: datetime | None
    ends_at: datetime | None

    @property
    def identity(self) -> tuple[str, str, str]:
        """What one read-model row is about: meetings are keyed per reporting source."""
        return (self.kind, self.source if self.kind == "meeting" else "", self.key)


def project(event: CloudEvent, data: EventData, time: datetime) -> Projection:
    """The read-model state a known event reports."""
    if isinstance(data, ItemSnapshot):
        return _projection(
            event,
            data,
            time,
            kind="item",
            key=str(data.item_id),
            status=data.status,
            category=data.category,
            item_id=data.item_id,
        )
    if isinstance(data, HearingSnapshot):
        return _projection(
            event,
            data,
            time,
            kind="hearing",
            key=str(data.hearing_id),
            status=data.status,
            item_id=data.item_id,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
        )
    if isinstance(data, MeetingHeld):
        return _projection(
            event,
            data,
            time,
            kind="meeting",
            key=data.meeting_id,
            status="held",
            item_id=data.item_id,
            starts_at=data.held_at,
        )
    raise TypeError(f"no read model for {type(data).__name__}")  # pragma: no cover


def _projection(
    event: CloudEvent,
    data: ItemSnapshot | HearingSnapshot | MeetingHeld,
    time: datetime,
    *,
    kind: Kind,
    key: str,
    status: str,
    item_id: uuid.UUID | None,
    category: str | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> Projection:
    return Projection(
        kind=kind,
        key=key,
        source=event.source,
        version=event.sequence_number or 1,
        time=time,
        event_type=event.type,
        event_key=event.key,
        state=event.data if isinstance(event.data, dict) else {},
        committee=data.committee,
        session=data.session,
        classification=data.classification,
        status=status,
        category=category,
        organizations=tuple(data.organizations),
        item_id=item_id,
        starts_at=starts_at,
        ends_at=ends_at,
    )


def project_logged(envelope: str, time: datetime) -> Projection | None:
    """The projection of an event read back from the log (``None`` for unknown types)."""
    event = CloudEvent.model_validate_json(envelope)
    if event.type not in EVENT_TYPES:
        return None
    return project(event, parse_data(event.type, event.data), time)


def latest(projections: Iterable[Projection]) -> list[Projection]:
    """One projection per subject: the highest version; of equal versions, the first seen
    (callers pass events in the order they were logged, so the first logged wins)."""
    chosen: dict[tuple[str, str, str], Projection] = {}
    for projection in projections:
        current = chosen.get(projection.identity)
        if current is None or projection.version > current.version:
            chosen[projection.identity] = projection
    return list(chosen.values())


def supersedes(version: int, position: int, applied: tuple[int, int] | None) -> bool:
    """Does an event (its version, its log position) replace the applied one (or no row)?

    A higher version wins; of equal versions the one logged first stays, so the result
    does not depend on the order events are applied in (live, or rebuilt from the log).
    """
    if applied is None:
        return True
    applied_version, applied_position = applied
    return version > applied_version or (version == applied_version and position < applied_position)
