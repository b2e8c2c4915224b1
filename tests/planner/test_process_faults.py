"""The planner as a real process: killed mid-relay it loses nothing; SIGTERM stops it cleanly."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import uuid

from sqlalchemy import text

from tests.planner.test_outbox_relay import status_event, write_events
from tests.support import ProbeQueue, engine_of, eventually


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_planner(settings, log_path=None) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "WORKPLAN_DATABASE_URL": settings.database_url.get_secret_value(),
        "WORKPLAN_AMQP_URL": settings.amqp_url.get_secret_value(),
        "WORKPLAN_BROKER_PREFIX": settings.broker_prefix,
        "WORKPLAN_PLANNER_PORT": str(free_port()),
        "WORKPLAN_DELIVERY_LIMIT": str(settings.delivery_limit),
        "WORKPLAN_PUBLISHERS": json.dumps(settings.publishers),
        "WORKPLAN_RELAY_BATCH_SIZE": "200",
        "WORKPLAN_LOG_LEVEL": "INFO",
        "WORKPLAN_LOG_JSON": "true",
    }
    log = log_path.open("wb") if log_path else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, "-m", "workplan.cli", "planner"], env=env, stdout=log, stderr=log
    )


async def unpublished(planner) -> int:
    async with engine_of(planner).connect() as connection:
        return int(
            await connection.scalar(
                text("SELECT count(*) FROM planner.outbox WHERE published_at IS NULL")
            )
        )


async def test_a_planner_killed_while_relaying_loses_no_event(
    planner, settings, amqp_url, topology, tmp_path
):
    events = [status_event(uuid.uuid4(), 1) for _ in range(4000)]
    for start in range(0, len(events), 1000):
        await write_events(planner, events[start : start + 1000])

    async with ProbeQueue(amqp_url, topology, "workplan.item.#") as probe:
        first = start_planner(settings, tmp_path / "first.log")
        try:
            await probe.wait_for(300, timeout=60)  # relaying is under way
            assert first.poll() is None, (tmp_path / "first.log").read_text()[-2000:]
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        assert await unpublished(planner) > 0  # killed with work left

        second = start_planner(settings, tmp_path / "planner.log")
        try:
            await eventually(lambda: _is_zero(unpublished(planner)), timeout=120)
            await probe.wait_for(len(events), timeout=30)
        finally:
            second.send_signal(signal.SIGTERM)
            # uvicorn re-raises the signal after its graceful shutdown
            assert second.wait(timeout=30) in (0, -signal.SIGTERM)
    log = (tmp_path / "planner.log").read_text()
    assert '"message": "service stopped"' in log  # the lifespan ran its shutdown to the end

    ids = [message.message_id for message in probe.messages]
    assert set(ids) == {event.id for event in events}  # nothing lost
    duplicates = len(ids) - len(set(ids))
    print(f"events: {len(events)}, delivered: {len(ids)}, duplicates after the kill: {duplicates}")


async def _is_zero(count: asyncio.Future[int] | object) -> bool:
    return await count == 0  # type: ignore[misc]
