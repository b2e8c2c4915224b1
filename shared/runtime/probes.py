"""Readiness checks: the database answers, the broker is connected, our consumers attached."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.messaging.publisher import ConfirmingPublisher

if TYPE_CHECKING:
    from faststream.rabbit import RabbitBroker

Probe = Callable[[], Awaitable[str | None]]
"""Returns ``None`` when healthy, else what is wrong."""

PROBE_TIMEOUT = 3.0


def database_probe(engine: AsyncEngine) -> Probe:
    async def probe() -> str | None:
        try:
            async with asyncio.timeout(PROBE_TIMEOUT), engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as exc:  # any failure means not ready; say which
            return f"database: {type(exc).__name__}"
        return None

    return probe


def publisher_probe(publisher: ConfirmingPublisher) -> Probe:
    async def probe() -> str | None:
        return None if publisher.is_connected else "broker: publisher not connected"

    return probe


def consumers_probe(broker: RabbitBroker) -> Probe:
    """Every subscriber is running with an open channel and a consumer registered."""

    async def probe() -> str | None:
        if not await broker.ping(timeout=PROBE_TIMEOUT):
            return "broker: not connected"
        for subscriber in broker.subscribers:
            queue = getattr(subscriber, "_queue_obj", None)
            tag = getattr(subscriber, "_consumer_tag", None)
            name = getattr(queue, "name", "?")
            if not subscriber.running or queue is None or tag is None:
                return f"consumer {name}: not attached"
            if queue.channel.is_closed:
                return f"consumer {name}: channel closed"
        return None

    return probe


async def run_probes(probes: list[Probe]) -> list[str]:
    results = await asyncio.gather(*(probe() for probe in probes))
    return [problem for problem in results if problem is not None]
