"""A command's events go from its commit straight to the relay of its process, on the real
PostgreSQL and RabbitMQ; a row whose hand-over went nowhere is claimed after its grace;
a subject's events still go out in order."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
from sqlalchemy import text

from services.planner.adapters.unit_of_work import SqlUnitOfWork
from services.planner.bootstrap import Planner
from services.planner.handlers.commands import ChangeItemStatus
from services.planner.handlers.items import change_item_status
from services.planner.main import create_app
from services.planner.settings import PlannerSettings
from shared.contract.amqp_binding import decode_message
from shared.messaging.outbox_handoff import OutboxHandoff
from shared.messaging.publisher import ConfirmingPublisher
from tests.planner.test_item_events import NEW_ITEM
from tests.planner.test_outbox_relay import relay_of, status_event, write_events
from tests.support import ProbeQueue, engine_of, eventually


async def outbox_row(planner: Planner, subject: str) -> list[dict]:
    async with engine_of(planner).connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT event_id, published_at, next_attempt_at <= now() AS claimable "
                "FROM planner.outbox WHERE subject = :s ORDER BY position"
            ),
            {"s": subject},
        )
        return [dict(row._mapping) for row in rows]


async def test_a_command_s_event_is_published_by_the_handoff_without_a_claim(
    settings: PlannerSettings, planner, sample_plan, staff, amqp_url, topology
):
    # the relay claims only once a minute: whatever goes out sooner went by the hand-off
    slow = settings.model_copy(update={"relay_poll_interval": 60.0})
    application = create_app(slow)
    transport = httpx.ASGITransport(app=application)
    async with (
        application.router.lifespan_context(application),
        httpx.AsyncClient(transport=transport, base_url="http://planner") as http,
        ProbeQueue(amqp_url, topology, "workplan.item.created.v1") as probe,
    ):
        await eventually(lambda: _attached(application.state.planner.handoff), timeout=10)
        began = time.monotonic()
        response = await http.post("/api/v1/items", json=NEW_ITEM, headers=staff)
        assert response.status_code == 201, response.text
        subject = f"item/{response.json()['id']}"

        async def arrived() -> bool:
            events = [decode_message(m.body, m.headers, m.content_type) for m in probe.messages]
            return any(event.subject == subject for event in events)

        await eventually(arrived, timeout=5)
        assert time.monotonic() - began < 5
        [row] = await eventually(lambda: _published(planner, subject), timeout=5)
    assert row["published_at"] is not None


async def _attached(handoff: OutboxHandoff) -> bool:
    return handoff.attached


async def _published(planner: Planner, subject: str) -> list[dict] | None:
    rows = await outbox_row(planner, subject)
    return rows if rows and all(row["published_at"] for row in rows) else None


class Nowhere:
    """A hand-over that reaches no relay (it died between the commit and the hand-over)."""

    def __init__(self) -> None:
        self.received: list[dict] = []

    def receive(self, rows) -> None:
        self.received.extend(dict(row) for row in rows)


async def published_so_far(planner: Planner) -> None:
    """What the import wrote, as if a relay had published it."""
    async with engine_of(planner).begin() as connection:
        await connection.execute(text("UPDATE planner.outbox SET published_at = now()"))


async def test_rows_handed_to_a_relay_that_is_gone_are_claimed_after_their_grace(
    planner: Planner, sample_plan, amqp_url, topology
):
    await published_so_far(planner)
    handoff = OutboxHandoff(grace_seconds=1.0)
    nowhere = Nowhere()
    handoff.attach(asyncio.get_running_loop(), nowhere.receive)
    item_id = uuid.UUID(sample_plan["justice-for-khojaly-campaign"])
    uow = SqlUnitOfWork(planner.database, source=planner.source, handoff=handoff)
    await change_item_status(ChangeItemStatus(item_id, "in_progress", "started", True), uow)
    await asyncio.sleep(0.05)  # call_soon_threadsafe: the hand-over runs on the next turn
    assert [row["type"] for row in nowhere.received] == ["workplan.item.status_changed.v1"]

    async with ProbeQueue(amqp_url, topology, "workplan.item.status_changed.v1") as probe:
        publisher = ConfirmingPublisher(amqp_url, app_id="test-relay")
        await publisher.connect()
        try:
            relay = relay_of(planner, publisher)
            assert (await relay.run_once()).claimed == 0  # still the relay's it was handed to
            await asyncio.sleep(1.2)
            assert (await relay.run_once()).published == 1  # its grace passed: claimed
            await probe.wait_for(1)
        finally:
            await publisher.close()
    [row] = [r for r in await outbox_row(planner, f"item/{item_id}") if r["published_at"]][-1:]
    assert row["event_id"] == nowhere.received[0]["event_id"]


async def test_an_event_behind_an_earlier_pending_one_of_its_subject_is_not_handed_over(
    planner: Planner, sample_plan
):
    item_id = uuid.UUID(sample_plan["justice-for-khojaly-campaign"])
    subject = f"item/{item_id}"
    await published_so_far(planner)
    earlier = status_event(item_id, 7)  # not yet published (the broker refused it, say)
    await write_events(planner, [earlier])
    handoff = OutboxHandoff(grace_seconds=30.0)
    nowhere = Nowhere()
    handoff.attach(asyncio.get_running_loop(), nowhere.receive)

    uow = SqlUnitOfWork(planner.database, source=planner.source, handoff=handoff)
    await change_item_status(ChangeItemStatus(item_id, "in_progress", "started", True), uow)
    await asyncio.sleep(0.05)

    assert nowhere.received == []  # it waits for the earlier one, whoever relays that
    pending = [row for row in await outbox_row(planner, subject) if row["published_at"] is None]
    assert len(pending) == 2
    assert pending[0]["event_id"] == earlier.id  # first out; then ours, claimable at once
    assert all(row["claimable"] for row in pending)
