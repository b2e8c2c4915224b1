"""The outbox relay against the real PostgreSQL and RabbitMQ: nothing committed is lost."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict

import pytest
from sqlalchemy import text

from services.planner.adapters.tables import outbox
from services.planner.bootstrap import Planner
from shared.contract import new_event
from shared.contract.amqp_binding import decode_message
from shared.contract.items import ItemStatusChanged
from shared.db.outbox import OutboxWriter
from shared.messaging.outbox_relay import OutboxRelay
from shared.messaging.publisher import ConfirmingPublisher
from tests.support import ProbeQueue, engine_of


def status_event(item_id: uuid.UUID, sequence: int):
    data = ItemStatusChanged(
        item_id=item_id,
        committee="MM-IRIPT",
        session="2026-spring",
        title={"en": "An item"},
        category="review",
        status="in_progress",
        previous_status="planned",
        classification="public",
        reason=f"step {sequence}",
    )
    return new_event(data, source="urn:workplan:planner", sequence=sequence)


async def write_events(planner: Planner, events) -> None:
    async with engine_of(planner).begin() as connection:
        await OutboxWriter(outbox).add(connection, events)


async def pending(planner: Planner) -> list[dict]:
    async with engine_of(planner).connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT event_id, attempts, last_error FROM planner.outbox "
                "WHERE published_at IS NULL ORDER BY position"
            )
        )
        return [dict(row._mapping) for row in rows]


@pytest.fixture
async def publisher(amqp_url):
    publisher = ConfirmingPublisher(amqp_url, app_id="test-relay")
    await publisher.connect()
    yield publisher
    await publisher.close()


def relay_of(
    planner: Planner, publisher: ConfirmingPublisher, batch_size: int = 500
) -> OutboxRelay:
    return OutboxRelay(
        database=planner.database,
        schema="planner",
        publisher=publisher,
        exchange=planner.topology.events_exchange,
        service="planner",
        batch_size=batch_size,
    )


async def test_a_relay_killed_between_publish_and_mark_loses_nothing(
    planner, publisher, amqp_url, topology
):
    events = [status_event(uuid.uuid4(), 1) for _ in range(5)]
    await write_events(planner, events)
    relay = relay_of(planner, publisher)
    async with ProbeQueue(amqp_url, topology, "workplan.item.#") as probe:
        # The first relay claims and publishes, then dies before marking: its transaction
        # is rolled back, exactly as when the process is killed or the database drops it.
        async with planner.database.connection() as connection:
            transaction = connection.transaction()
            await transaction.start()
            rows = await relay.claim(connection)
            published, failures = await relay.publish(rows)
            assert (len(published), failures) == (5, {})
            await transaction.rollback()
        assert len(await pending(planner)) == 5  # nothing was marked

        result = await relay_of(planner, publisher).run_once()  # a fresh relay takes over
        assert (result.published, result.failed) == (5, 0)
        messages = await probe.wait_for(10)

    ids = [m.message_id for m in messages]
    assert set(ids) == {e.id for e in events}  # every event arrived
    assert len(ids) - len(set(ids)) == 5  # each once more: duplicates, for the inboxes to drop
    assert await pending(planner) == []


async def test_a_publish_the_broker_cannot_route_leaves_the_row_pending(planner, publisher):
    # No queue is bound for item events in this broker prefix: the broker returns them.
    event = status_event(uuid.uuid4(), 1)
    await write_events(planner, [event])
    result = await relay_of(planner, publisher).run_once()
    assert (result.published, result.failed) == (0, 1)
    [row] = await pending(planner)
    assert row["event_id"] == event.id
    assert row["attempts"] == 1
    assert row["last_error"].startswith("unroutable")


async def test_a_failed_event_holds_back_the_later_events_of_its_subject(
    planner, publisher, amqp_url, topology
):
    subject_id = uuid.uuid4()
    first, second = status_event(subject_id, 1), status_event(subject_id, 2)
    await write_events(planner, [first, second])
    await relay_of(planner, publisher).run_once()  # unroutable: nothing bound yet
    rows = await pending(planner)
    assert [row["event_id"] for row in rows] == [first.id, second.id]
    assert "unroutable" in rows[0]["last_error"]
    assert rows[1]["last_error"] == f"waiting behind event {first.id}"  # never sent before it

    async with ProbeQueue(amqp_url, topology, "workplan.item.#") as probe:
        async with engine_of(planner).begin() as connection:  # the back-off has passed
            await connection.execute(text("UPDATE planner.outbox SET next_attempt_at = now()"))
        await relay_of(planner, publisher).run_once()
        messages = await probe.wait_for(2)
    assert [m.message_id for m in messages] == [first.id, second.id]


async def test_several_relays_at_once_publish_everything_in_order_per_subject(
    planner, publisher, amqp_url, topology
):
    subjects = [uuid.uuid4() for _ in range(40)]
    events = [status_event(subject, sequence) for sequence in range(1, 11) for subject in subjects]
    await write_events(planner, events)
    relays = [relay_of(planner, publisher, batch_size=37) for _ in range(3)]

    async with ProbeQueue(amqp_url, topology, "workplan.item.#") as probe:

        async def drain(relay: OutboxRelay) -> None:
            result = await relay.run_once()
            while result.claimed:
                result = await relay.run_once()

        while await pending(planner):
            await asyncio.gather(*(drain(relay) for relay in relays))
        messages = await probe.wait_for(len(events), timeout=30)

    sequences: dict[str, list[int]] = defaultdict(list)
    for message in messages:
        event = decode_message(message.body, message.headers, message.content_type)
        sequences[event.subject or ""].append(int(event.sequence or 0))
    assert len(messages) == len(events)  # no relay published what another had claimed
    assert len(sequences) == 40
    assert all(seen == list(range(1, 11)) for seen in sequences.values())
