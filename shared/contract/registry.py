"""Every event type of the contract, and the payload model that validates its ``data``."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from shared.contract.errors import InvalidEvent
from shared.contract.hearings import (
    HearingCancelled,
    HearingHeld,
    HearingReclassified,
    HearingRescheduled,
    HearingScheduled,
)
from shared.contract.items import ItemCreated, ItemStatusChanged, ItemUpdated
from shared.contract.meetings import MeetingHeld, MeetingReclassified

EventData = (
    ItemCreated
    | ItemUpdated
    | ItemStatusChanged
    | HearingScheduled
    | HearingRescheduled
    | HearingCancelled
    | HearingHeld
    | HearingReclassified
    | MeetingHeld
    | MeetingReclassified
)

EVENT_TYPES: dict[str, type[EventData]] = {
    model.event_type: model
    for model in (
        ItemCreated,
        ItemUpdated,
        ItemStatusChanged,
        HearingScheduled,
        HearingRescheduled,
        HearingCancelled,
        HearingHeld,
        HearingReclassified,
        MeetingHeld,
        MeetingReclassified,
    )
}


def parse_data(event_type: str, data: Any) -> EventData:
    """Validate ``data`` against the model of ``event_type``; raise :class:`InvalidEvent`."""
    model = EVENT_TYPES.get(event_type)
    if model is None:
        raise InvalidEvent(f"unknown event type {event_type!r}", code="unknown_type")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidEvent(
            f"data of {event_type} is invalid: {describe_validation_error(exc)}",
            code="invalid_data",
        ) from exc


def describe_validation_error(exc: ValidationError, limit: int = 5) -> str:
    """One line naming each failing field and why, e.g. ``starts_at: Input should be...``."""
    parts = []
    for error in exc.errors()[:limit]:
        where = ".".join(str(p) for p in error["loc"]) or "(root)"
        parts.append(f"{where}: {error['msg']}")
    more = len(exc.errors()) - limit
    if more > 0:
        parts.append(f"... and {more} more")
    return "; ".join(parts)
