"""Building blocks of the notifier tests: events as the planner publishes them, and the API
calls an administrator makes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import text

from services.notifier.bootstrap import Notifier
from shared.contract import CloudEvent, new_event
from shared.contract.hearings import HearingCancelled, HearingRescheduled, HearingScheduled
from shared.contract.items import ItemCreated
from shared.messaging.publisher import ConfirmingPublisher
from shared.messaging.topology import Topology
from shared.settings import PLANNER_SOURCE
from tests.support import eventually
from workplan.cli.events import to_message

COMMITTEE = "MM-IRIPT"
TITLE = {
    "az": "Xocalıya ədalət kampaniyası üzrə dinləmə",
    "en": "Hearing on the Justice for Khojaly campaign",
    "ru": "Слушание по кампании «Справедливость для Ходжалы»",
}


def hearing_fields(hearing_id: uuid.UUID, item_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    return {
        "hearing_id": hearing_id,
        "item_id": item_id,
        "committee": COMMITTEE,
        "session": "2026-spring",
        "classification": "public",
        "title": TITLE,
        "starts_at": datetime.fromisoformat("2026-03-12T11:00:00+04:00"),
        "ends_at": datetime.fromisoformat("2026-03-12T13:00:00+04:00"),
        "timezone": "Asia/Baku",
        "location": "Milli Məclis, Hall 2",
        "organizations": ["OSCE-PA"],
        "status": "scheduled",
        **overrides,
    }


class Hearing:
    """One hearing's life as the planner reports it: each event with the next sequence."""

    def __init__(self, **overrides: Any) -> None:
        self.id = uuid.uuid4()
        self.item_id = uuid.uuid4()
        self.sequence = 0
        self.fields = hearing_fields(self.id, self.item_id, **overrides)

    def scheduled(self) -> CloudEvent:
        return self._event(HearingScheduled(**self.fields))

    def rescheduled(self, starts_at: str, ends_at: str, location: str | None = None) -> CloudEvent:
        previous = self.fields
        self.fields = {
            **previous,
            "starts_at": datetime.fromisoformat(starts_at),
            "ends_at": datetime.fromisoformat(ends_at),
            "location": location or previous["location"],
            "status": "rescheduled",
        }
        return self._event(
            HearingRescheduled(
                **self.fields,
                previous_starts_at=previous["starts_at"],
                previous_ends_at=previous["ends_at"],
                previous_location=previous["location"],
                reason="The minister is travelling",
            )
        )

    def cancelled(self, reason: str = "The delegation could not come") -> CloudEvent:
        self.fields = {**self.fields, "status": "cancelled"}
        return self._event(HearingCancelled(**self.fields, reason=reason))

    def _event(self, data: Any) -> CloudEvent:
        self.sequence += 1
        return new_event(data, source=PLANNER_SOURCE, sequence=self.sequence)


def item_created(**overrides: Any) -> CloudEvent:
    data = ItemCreated(
        **{
            "item_id": uuid.uuid4(),
            "committee": COMMITTEE,
            "session": "2026-spring",
            "title": {"en": "Support the delegation to PACE", "az": "AŞPA-dakı nümayəndə heyəti"},
            "category": "delegation_support",
            "organizations": ["PACE"],
            "status": "planned",
            "classification": "public",
            **overrides,
        }
    )
    return new_event(data, source=PLANNER_SOURCE, sequence=1)


async def publish(publisher: ConfirmingPublisher, topology: Topology, event: CloudEvent) -> None:
    await publisher.publish(to_message(event, topology, mode="structured"))


async def add_recipient(
    client: httpx.AsyncClient, admin: dict[str, str], **fields: Any
) -> dict[str, Any]:
    body = {
        "name": "Leyla Həsənova",
        "email": f"{uuid.uuid4().hex[:8]}@example.gov.az",
        "language": "en",
        "timezone": "Asia/Baku",
        **fields,
    }
    response = await client.post("/api/v1/recipients", json=body, headers=admin)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def subscribe(
    client: httpx.AsyncClient, admin: dict[str, str], recipient_id: str, **fields: Any
) -> dict[str, Any]:
    body = {"recipient_id": recipient_id, "channel": "email", **fields}
    response = await client.post("/api/v1/subscriptions", json=body, headers=admin)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def deliveries_of(notifier: Notifier, *, status: str | None = None) -> list[dict[str, Any]]:
    query = "SELECT id, channel, status, attempts, target, last_error, event_id FROM notifier.deliveries"
    params: dict[str, Any] = {}
    if status is not None:
        query += " WHERE status = :status"
        params["status"] = status
    async with notifier.engine.connect() as connection:
        rows = await connection.execute(text(query + " ORDER BY created_at"), params)
        return [dict(row._mapping) for row in rows]


async def settled(notifier: Notifier, count: int, timeout: float = 15.0) -> list[dict[str, Any]]:
    """Wait until ``count`` deliveries exist and none is queued or retrying."""

    async def check() -> list[dict[str, Any]] | None:
        found = await deliveries_of(notifier)
        pending = [d for d in found if d["status"] in ("queued", "retrying")]
        return found if len(found) >= count and not pending else None

    return await eventually(check, timeout=timeout)
