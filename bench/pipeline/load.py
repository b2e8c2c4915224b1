"""Load for the pipeline: commands through the planner's HTTP API, events onto the bus.

Commands schedule hearings (``hearing.scheduled``: archived, and an e-mail with its
calendar invitation plus an inbox notice for the bench's recipient). Several clients send
them at once, as fast as the planner answers or paced at a fixed offered rate.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx

from shared.contract import CloudEvent, new_event
from shared.contract.hearings import HearingScheduled
from shared.messaging.publisher import ConfirmingPublisher
from shared.messaging.topology import Topology
from shared.settings import PLANNER_SOURCE
from workplan.cli.events import to_message

SESSION_START = datetime(2026, 2, 2, 5, 0, tzinfo=UTC)
COMMITTEE, SESSION = "MM-IRIPT", "2026-spring"


class HearingCommands:
    """Endless distinct hearings over the session's items (overlaps allowed)."""

    def __init__(self, item_ids: list[str]) -> None:
        self._items = itertools.cycle(item_ids)
        self._slots = itertools.count()

    def next(self) -> tuple[str, dict[str, object]]:
        slot = next(self._slots)
        starts = SESSION_START + timedelta(minutes=(slot * 7) % (100 * 24 * 60))
        body = {
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=1)).isoformat(),
            "title": {
                "en": f"Hearing {slot} on inter-parliamentary cooperation",
                "az": f"Parlamentlərarası əməkdaşlıq üzrə dinləmə {slot}",
            },
            "location": "Milli Majlis, Hall 2",
            "allow_overlap": True,
        }
        return f"/api/v1/items/{next(self._items)}/hearings", body


async def send_commands(
    planner_url: str,
    token: str,
    commands: HearingCommands,
    *,
    count: int,
    clients: int,
    rate: float | None = None,
) -> float:
    """Send ``count`` commands from ``clients`` clients; returns the seconds it took."""
    began = time.monotonic()
    issued = itertools.count()
    failures: list[str] = []

    async def client() -> None:
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=planner_url, headers=headers, timeout=60) as http:
            while (index := next(issued)) < count:
                if rate is not None:
                    delay = began + index / rate - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                path, body = commands.next()
                response = await http.post(path, json=body)
                if response.status_code != 201:
                    failures.append(f"{response.status_code} {response.text[:200]}")

    await asyncio.gather(*(client() for _ in range(clients)))
    if failures:
        raise RuntimeError(f"{len(failures)} commands failed, e.g. {failures[0]}")
    return time.monotonic() - began


def bus_events(item_ids: list[str], count: int) -> list[CloudEvent]:
    """Hearing events as the planner's relay would publish them, for hearings of real items."""
    events = []
    for index in range(count):
        starts = SESSION_START + timedelta(minutes=(index * 11) % (100 * 24 * 60))
        data = HearingScheduled(
            hearing_id=uuid.uuid4(),
            item_id=uuid.UUID(item_ids[index % len(item_ids)]),
            committee=COMMITTEE,
            session=SESSION,
            classification="public",
            title={"en": f"Hearing {index} published on the bus"},
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            timezone="Asia/Baku",
            location="Milli Majlis, Hall 2",
            organizations=["PACE"],
            status="scheduled",
        )
        events.append(new_event(data, source=PLANNER_SOURCE, sequence=1))
    return events


async def publish_events(
    publisher: ConfirmingPublisher, topology: Topology, events: list[CloudEvent]
) -> float:
    """Publish with confirms, up to 256 in flight; returns the seconds it took."""
    began = time.monotonic()
    slots = asyncio.Semaphore(256)

    async def one(event: CloudEvent) -> None:
        async with slots:
            stamped = event.model_copy(update={"time": datetime.now(UTC)})
            await publisher.publish(to_message(stamped, topology, mode="structured"))

    await asyncio.gather(*(one(event) for event in events))
    return time.monotonic() - began
