"""The archive's consumer through connection faults, on the real broker and database.

A proxy between the archive and RabbitMQ (or PostgreSQL) closes every connection in the
middle of a stream of events and turns new ones away for a moment, as a restart would.
The archive must come back by itself, archive every event exactly once, dead-letter
nothing, and leave nothing unacknowledged on its queue.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import aio_pika
import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import text

from services.archive.main import create_app
from services.archive.settings import ArchiveSettings
from shared.messaging.topology import Topology
from tests.archive.conftest import archived_count
from tests.archive.events import item_created
from tests.network import CuttableProxy
from tests.support import delete_service_objects, eventually
from workplan.cli.events import to_message

T0 = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)


async def _queue_depth(amqp_url: str, name: str) -> int:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(name, passive=True)
        return int(queue.declaration_result.message_count or 0)


async def _archived_some(engine) -> bool:
    return await archived_count(engine) > 0


async def _archived_all(engine, count: int) -> bool:
    return await archived_count(engine) >= count


async def _ready(application: FastAPI) -> bool:
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://archive") as http:
        return (await http.get("/readyz")).status_code == 200


@pytest.mark.parametrize("server", ["broker", "database"])
async def test_a_connection_fault_mid_stream_loses_and_repeats_nothing(
    archive_settings: ArchiveSettings, archive_db, publisher, archive_topology, amqp_url, server
):
    events = [item_created(uuid.uuid4(), time=T0) for _ in range(600)]
    setting = "amqp_url" if server == "broker" else "database_url"
    async with CuttableProxy(getattr(archive_settings, setting).get_secret_value()) as proxy:
        settings = archive_settings.model_copy(update={setting: SecretStr(proxy.url)})
        application = create_app(settings)
        topology = Topology(settings.broker_prefix)
        try:
            async with application.router.lifespan_context(application):
                first_connections = proxy.connections
                for event in events[:300]:
                    await publisher.publish(to_message(event, archive_topology, mode="structured"))
                await eventually(lambda: _archived_some(archive_db), timeout=15)
                proxy.cut(refuse=True)  # the server is gone for a moment
                for event in events[300:]:
                    await publisher.publish(to_message(event, archive_topology, mode="binary"))
                await asyncio.sleep(1.5)
                proxy.resume()
                await eventually(lambda: _archived_all(archive_db, len(events)), timeout=30)
                assert proxy.connections > first_connections  # it reconnected by itself
                await eventually(lambda: _ready(application), timeout=15)
            # stopped: whatever was delivered and not acked would be back in the queue
            for queue in topology.declared_queues("archive"):
                assert await _queue_depth(amqp_url, queue) == 0, queue
        finally:
            await delete_service_objects(amqp_url, topology, "archive")

    assert await archived_count(archive_db) == len(events)
    async with archive_db.connect() as connection:
        items = await connection.scalar(text("SELECT count(*) FROM archive.items"))
    assert items == len(events)
