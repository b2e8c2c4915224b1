"""The planner through dropped connections, on the real broker and database.

A proxy between the planner and RabbitMQ (or PostgreSQL) closes every connection of the
planner and turns new ones away for a moment, as a restart does. Afterwards, without a
restart of the planner, a meeting reported by an external system meanwhile is recorded,
changes are published, and readiness says so again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import text

from services.planner.bootstrap import Planner
from services.planner.main import create_app
from services.planner.settings import PlannerSettings
from shared.contract import CloudEvent
from shared.contract.amqp_binding import decode_message
from shared.messaging.publisher import ConfirmingPublisher
from shared.messaging.topology import Topology
from tests.network import CuttableProxy
from tests.planner.test_external_meetings import meeting_event, meetings_of
from tests.planner.test_item_events import NEW_ITEM
from tests.support import ProbeQueue, engine_of, eventually
from workplan.cli.events import to_message


async def _ready(http: httpx.AsyncClient) -> bool:
    return (await http.get("/readyz")).status_code == 200


async def _not_ready(http: httpx.AsyncClient) -> bool:
    return (await http.get("/readyz")).status_code == 503


async def _published_item(planner: Planner) -> bool:
    async with engine_of(planner).connect() as connection:
        pending = await connection.scalar(
            text("SELECT count(*) FROM planner.outbox WHERE published_at IS NULL")
        )
    return pending == 0


async def _has_subject(messages, subject: str) -> bool:
    return any(
        decode_message(m.body, m.headers, m.content_type).subject == subject for m in messages
    )


@contextlib.asynccontextmanager
async def planner_behind(
    proxy: CuttableProxy, settings: PlannerSettings, setting: str, planner: Planner
) -> AsyncIterator[httpx.AsyncClient]:
    """The planner running with ``setting`` (a server URL) through the proxy, ready, its
    sample plan published; yields an HTTP client of it."""
    application: FastAPI = create_app(settings.model_copy(update={setting: SecretStr(proxy.url)}))
    transport = httpx.ASGITransport(app=application)
    async with (
        application.router.lifespan_context(application),
        httpx.AsyncClient(transport=transport, base_url="http://planner") as http,
    ):
        await eventually(lambda: _ready(http), timeout=15)
        await eventually(lambda: _published_item(planner), timeout=15)
        yield http


async def report_meeting(amqp_url: str, topology: Topology) -> CloudEvent:
    """An external system reports a meeting, straight to the broker."""
    external = ConfirmingPublisher(amqp_url, app_id="test-external-system")
    await external.connect()
    try:
        event = meeting_event()
        await external.publish(to_message(event, topology, mode="binary"))
    finally:
        await external.close()
    return event


async def recorded(planner: Planner, event: CloudEvent) -> None:
    """The reported meeting, and only it, is in the planner (waits for it)."""
    meetings = await eventually(lambda: meetings_of(planner), timeout=30)
    assert [m["external_id"] for m in meetings] == [event.data["meeting_id"]]


async def test_after_the_broker_connection_drops_the_planner_consumes_and_publishes_again(
    settings: PlannerSettings,
    planner: Planner,
    sample_plan,
    staff,
    amqp_url: str,
    topology: Topology,
):
    async with (
        CuttableProxy(amqp_url) as proxy,
        ProbeQueue(amqp_url, topology) as probe,
        planner_behind(proxy, settings, "amqp_url", planner) as http,
    ):
        connections = proxy.connections
        proxy.cut(refuse=True)
        await eventually(lambda: _not_ready(http), timeout=15)
        # while the planner is cut off: a staff change commits (outbox), a meeting is reported
        response = await http.post("/api/v1/items", json=NEW_ITEM, headers=staff)
        assert response.status_code == 201, response.text
        event = await report_meeting(amqp_url, topology)
        await asyncio.sleep(1)
        proxy.resume()

        await recorded(planner, event)
        await eventually(lambda: _published_item(planner), timeout=30)
        ours = f"item/{response.json()['id']}"
        await eventually(lambda: _has_subject(probe.messages, ours), timeout=10)
        await eventually(lambda: _ready(http), timeout=30)
        assert proxy.connections > connections


async def test_through_a_database_outage_the_api_answers_503_and_the_planner_catches_up(
    settings: PlannerSettings,
    planner: Planner,
    sample_plan,
    staff,
    amqp_url: str,
    topology: Topology,
):
    database = settings.database_url.get_secret_value()
    async with (
        CuttableProxy(database) as proxy,
        ProbeQueue(amqp_url, topology) as probe,
        planner_behind(proxy, settings, "database_url", planner) as http,
    ):
        proxy.cut(refuse=True)
        refused = await http.post("/api/v1/items", json=NEW_ITEM, headers=staff)
        assert refused.status_code == 503, refused.text
        assert "unavailable" in refused.json()["detail"]
        await eventually(lambda: _not_ready(http), timeout=15)
        event = await report_meeting(amqp_url, topology)
        await asyncio.sleep(1.5)
        proxy.resume()

        await recorded(planner, event)
        await eventually(lambda: _ready(http), timeout=30)
        response = await http.post("/api/v1/items", json=NEW_ITEM, headers=staff)
        assert response.status_code == 201, response.text
        ours = f"item/{response.json()['id']}"
        await eventually(lambda: _has_subject(probe.messages, ours), timeout=15)
        await eventually(lambda: _published_item(planner), timeout=15)
