"""Events as the planner and external systems send them, for the archive tests."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from shared.contract import CloudEvent, new_event
from shared.contract.hearings import (
    HearingCancelled,
    HearingRescheduled,
    HearingScheduled,
)
from shared.contract.items import ItemCreated, ItemStatusChanged
from shared.contract.meetings import MeetingHeld
from shared.settings import PLANNER_SOURCE

COMMITTEE, SESSION = "MM-IRIPT", "2026-spring"


def item_fields(item_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    return {
        "item_id": item_id,
        "committee": COMMITTEE,
        "session": SESSION,
        "ref": f"ref-{item_id.hex[:6]}",
        "title": {"az": "Xocalı üçün ədalət kampaniyası", "en": "Justice for Khojaly campaign"},
        "description": {"ru": "Встречи с делегациями", "en": "Meetings with delegations"},
        "category": "advocacy_campaign",
        "organizations": ["PACE"],
        "status": "planned",
        "classification": "public",
        **overrides,
    }


def item_created(item_id: uuid.UUID, *, time: datetime, **overrides: Any) -> CloudEvent:
    return new_event(
        ItemCreated(**item_fields(item_id, **overrides)),
        source=PLANNER_SOURCE,
        sequence=1,
        time=time,
    )


def item_status(
    item_id: uuid.UUID, status: str, *, sequence: int, time: datetime, **overrides: Any
) -> CloudEvent:
    return new_event(
        ItemStatusChanged(
            **item_fields(item_id, status=status, **overrides), previous_status="planned"
        ),
        source=PLANNER_SOURCE,
        sequence=sequence,
        time=time,
    )


def hearing_fields(hearing_id: uuid.UUID, item_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    return {
        "hearing_id": hearing_id,
        "item_id": item_id,
        "committee": COMMITTEE,
        "session": SESSION,
        "classification": "public",
        "title": {"en": "Hearing on the Justice for Khojaly campaign"},
        "starts_at": "2026-03-12T11:00:00+04:00",
        "ends_at": "2026-03-12T13:00:00+04:00",
        "timezone": "Asia/Baku",
        "location": "Hall 2",
        "status": "scheduled",
        **overrides,
    }


def hearing_scheduled(
    hearing_id: uuid.UUID, item_id: uuid.UUID, *, time: datetime, **overrides: Any
) -> CloudEvent:
    data = HearingScheduled(**hearing_fields(hearing_id, item_id, **overrides))
    return new_event(data, source=PLANNER_SOURCE, sequence=1, time=time)


def hearing_rescheduled(
    hearing_id: uuid.UUID, item_id: uuid.UUID, *, sequence: int, time: datetime, **overrides: Any
) -> CloudEvent:
    data = HearingRescheduled.model_validate(
        hearing_fields(
            hearing_id,
            item_id,
            status="rescheduled",
            starts_at="2026-03-19T11:00:00+04:00",
            ends_at="2026-03-19T13:00:00+04:00",
            location="Hall 3",
            **overrides,
        )
        | {
            "previous_starts_at": "2026-03-12T11:00:00+04:00",
            "previous_ends_at": "2026-03-12T13:00:00+04:00",
            "previous_location": "Hall 2",
            "reason": "Rapporteur abroad",
        }
    )
    return new_event(data, source=PLANNER_SOURCE, sequence=sequence, time=time)


def hearing_cancelled(
    hearing_id: uuid.UUID, item_id: uuid.UUID, *, sequence: int, time: datetime
) -> CloudEvent:
    data = HearingCancelled(
        **hearing_fields(hearing_id, item_id, status="cancelled"), reason="Witnesses unavailable"
    )
    return new_event(data, source=PLANNER_SOURCE, sequence=sequence, time=time)


def meeting_held(
    source: str, *, time: datetime, sequence: int = 1, meeting_id: str | None = None, **fields: Any
) -> CloudEvent:
    data = MeetingHeld(
        **{
            "meeting_id": meeting_id or f"mfa-{uuid.uuid4().hex[:8]}",
            "organizations": ["MFA"],
            "held_at": "2026-02-18T10:00:00+04:00",
            "title": {"en": "Briefing by the Ministry of Foreign Affairs"},
            "summary": {"az": "İstanbul görüşü və IRAQ məsələsi"},
            **fields,
        }
    )
    return new_event(data, source=source, sequence=sequence, time=time)


def custom_event(source: str, event_type: str, data: Any, *, time: datetime) -> CloudEvent:
    return CloudEvent(
        specversion="1.0",
        id=str(uuid.uuid4()),
        source=source,
        type=event_type,
        subject="registry/entry-1",
        time=time,
        datacontenttype="application/json",
        data=data,
    )
