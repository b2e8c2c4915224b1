"""Ingest against the real broker and database: kept verbatim, once, in order; bad ones parked."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import aiormq
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from shared.messaging.batch_consumer import ACK_DELAY
from shared.messaging.dead_letter_queue import list_dead_letters
from shared.messaging.publisher import OutgoingMessage
from shared.observability.metrics import EVENTS_DUPLICATE
from shared.settings import PLANNER_SOURCE
from tests.archive.conftest import REGISTRY_SOURCE, archived_count, publish_and_wait
from tests.archive.events import (
    custom_event,
    hearing_rescheduled,
    hearing_scheduled,
    item_created,
    item_status,
    meeting_held,
)
from tests.conftest import EXTERNAL_SOURCE
from tests.support import eventually
from workplan.cli.events import to_message

T0 = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)


async def rows(engine: Any, sql: str, **params: Any) -> list[dict[str, Any]]:
    async with engine.connect() as connection:
        return [dict(row._mapping) for row in await connection.execute(text(sql), params)]


@pytest.mark.parametrize("mode", ["structured", "binary"])
async def test_an_event_is_kept_as_received_with_its_fields_extracted(
    archive_app, archive_db, publisher, archive_topology, mode
):
    item_id = uuid.uuid4()
    event = item_created(item_id, time=T0)
    message = to_message(event, archive_topology, mode=mode)
    await publish_and_wait(publisher, archive_topology, archive_db, [event], mode=mode)

    [row] = await rows(archive_db, "SELECT *, envelope::text AS raw FROM archive.events")
    if mode == "structured":
        assert row["raw"] == message.body.decode()  # byte for byte
    else:
        assert json.loads(row["raw"]) == event.to_json_dict()
        assert row["raw"].endswith(f',"data":{message.body.decode()}}}')  # data as received
    assert row["mode"] == mode
    assert (row["source"], row["event_id"], row["type"]) == (PLANNER_SOURCE, event.id, event.type)
    assert (row["subject"], row["sequence"], row["known"]) == (f"item/{item_id}", 1, True)
    assert (row["committee"], row["session"], row["organizations"]) == (
        "MM-IRIPT",
        "2026-spring",
        ["PACE"],
    )
    assert (row["classification"], row["item_id"], row["time"]) == ("public", item_id, T0)
    [item] = await rows(archive_db, "SELECT * FROM archive.items")
    assert (item["item_id"], item["version"], item["status"]) == (item_id, 1, "planned")


async def test_a_redelivered_or_resent_event_is_stored_once(
    archive_app, archive_db, publisher, archive_topology
):
    before = EVENTS_DUPLICATE.labels("archive")._value.get()
    event = item_created(uuid.uuid4(), time=T0)
    other = item_created(uuid.uuid4(), time=T0)
    for _ in range(3):
        await publisher.publish(to_message(event, archive_topology, mode="structured"))
    await publisher.publish(to_message(event, archive_topology, mode="binary"))
    await publish_and_wait(publisher, archive_topology, archive_db, [other], expect=2)
    await eventually(lambda: _at_least(EVENTS_DUPLICATE.labels("archive")._value.get(), before + 3))

    assert await archived_count(archive_db) == 2
    inbox = await rows(archive_db, "SELECT event_id FROM archive.inbox ORDER BY event_id")
    assert sorted(r["event_id"] for r in inbox) == sorted([event.id, other.id])


async def _at_least(value: float, wanted: float) -> bool:
    return value >= wanted


@pytest.fixture
def acks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool, float]]:
    """Every ``basic.ack`` the consumer sends (delivery tag, multiple, when), on to the
    broker."""
    sent: list[tuple[int, bool, float]] = []
    send = aiormq.Channel.basic_ack

    async def recorded(
        channel: aiormq.Channel, delivery_tag: int, multiple: bool = False, wait: bool = True
    ) -> None:
        sent.append((delivery_tag, multiple, time.monotonic()))
        await send(channel, delivery_tag, multiple=multiple, wait=wait)

    monkeypatch.setattr(aiormq.Channel, "basic_ack", recorded)
    return sent


async def test_a_lone_event_is_acked_without_another_one_coming(
    archive_app, archive_db, publisher, archive_topology, acks
):
    await publish_and_wait(
        publisher, archive_topology, archive_db, [item_created(uuid.uuid4(), time=T0)]
    )

    await eventually(lambda: _equal([(tag, multiple) for tag, multiple, _ in acks], [(1, True)]))


async def test_events_that_trickle_in_are_acked_together(
    archive_app, archive_db, publisher, archive_topology, acks
):
    events = [item_created(uuid.uuid4(), time=T0) for _ in range(20)]
    for event in events:  # a batch each (the tests' batch wait is 2 ms), within an ack's wait
        await publisher.publish(to_message(event, archive_topology, mode="structured"))
        await asyncio.sleep(0.005)
    await eventually(lambda: _at_least_archived(archive_db, len(events)))
    await eventually(lambda: _equal(max((tag for tag, _, _ in acks), default=0), 20))

    assert all(multiple for _, multiple, _ in acks)
    # One ack per wait, not per batch: acks go at most one per ACK_DELAY. The times are
    # when each ack frame was written, which a busy machine may delay by a task switch or
    # two, so the bound is on the count over the whole span, with a wait's slack each side.
    span = acks[-1][2] - acks[0][2]
    assert len(acks) <= (span + 2 * ACK_DELAY) / ACK_DELAY + 1, [t for _, _, t in acks]


async def _equal(value: object, wanted: object) -> bool:
    return value == wanted


async def _at_least_archived(engine: Any, count: int) -> bool:
    return await archived_count(engine) >= count


async def test_an_unknown_type_from_an_authorised_source_is_kept_marked_unknown(
    archive_app, archive_db, publisher, archive_topology
):
    newer = custom_event(
        REGISTRY_SOURCE,
        "workplan.meeting.summarised.v2",
        {"meeting_id": "m-1", "summary": {"en": "A later summary"}, "organizations": ["MFA"]},
        time=T0,
    )
    await publish_and_wait(publisher, archive_topology, archive_db, [newer])
    [row] = await rows(archive_db, "SELECT known, type, organizations FROM archive.events")
    assert row == {
        "known": False,
        "type": "workplan.meeting.summarised.v2",
        "organizations": ["MFA"],
    }
    assert await rows(archive_db, "SELECT * FROM archive.meetings") == []


def bad_message(kind: str, topology) -> OutgoingMessage:
    if kind == "not-a-cloudevent":
        return OutgoingMessage(
            topology.events_exchange, "workplan.item.created.v1", b"hello", "text/plain", "m-text"
        )
    if kind == "unregistered-source":
        event = custom_event("urn:stranger", "workplan.item.created.v1", {}, time=T0)
    else:
        event = custom_event(
            EXTERNAL_SOURCE, "workplan.meeting.held.v1", {"meeting_id": "x"}, time=T0
        )
    return to_message(event, topology, mode="structured")


@pytest.mark.parametrize(
    ("kind", "code", "words"),
    [
        ("not-a-cloudevent", "not_cloudevent", "no ce- headers"),
        ("unregistered-source", "unregistered_source", "urn:stranger"),
        ("invalid-known-data", "invalid_data", "organizations"),
    ],
)
async def test_bad_messages_are_dead_lettered_with_the_reason_and_the_next_is_archived(
    archive_app, archive_db, publisher, archive_topology, amqp_url, kind, code, words
):
    bad = bad_message(kind, archive_topology)
    good = meeting_held(EXTERNAL_SOURCE, time=T0)
    await publisher.publish(bad)
    await publish_and_wait(publisher, archive_topology, archive_db, [good])

    letters = await eventually(
        lambda: list_dead_letters(amqp_url, archive_topology, "archive"), timeout=10
    )
    assert [(letter.message_id, letter.code) for letter in letters] == [(bad.message_id, code)]
    assert words in letters[0].reason
    [row] = await rows(archive_db, "SELECT event_id FROM archive.events")
    assert row["event_id"] == good.id


async def test_out_of_order_and_stale_events_never_overwrite_newer_state(
    archive_app, archive_db, publisher, archive_topology
):
    item_id, hearing_id = uuid.uuid4(), uuid.uuid4()
    scheduled = hearing_scheduled(hearing_id, item_id, time=T0)
    moved = hearing_rescheduled(hearing_id, item_id, sequence=3, time=T0)  # 2 never comes
    created = item_created(item_id, time=T0)
    done = item_status(item_id, "completed", sequence=2, time=T0)
    # newest first: the stale ones arrive last
    await publish_and_wait(
        publisher, archive_topology, archive_db, [moved, done, scheduled, created]
    )
    [hearing] = await rows(archive_db, "SELECT version, status, starts_at FROM archive.hearings")
    assert (hearing["version"], hearing["status"]) == (3, "rescheduled")
    [item] = await rows(archive_db, "SELECT version, status FROM archive.items")
    assert item == {"version": 2, "status": "completed"}
    assert await archived_count(archive_db) == 4  # the stale events are archived all the same


async def test_the_log_refuses_update_delete_and_truncate(
    archive_app, archive_db, publisher, archive_topology
):
    await publish_and_wait(
        publisher, archive_topology, archive_db, [item_created(uuid.uuid4(), time=T0)]
    )
    for statement in (
        "UPDATE archive.events SET type = 'x'",
        "UPDATE archive.events SET search = ''::tsvector, sequence = 9",
        "DELETE FROM archive.events",
        "TRUNCATE archive.events",
        "TRUNCATE archive.events_2026_02",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with archive_db.begin() as connection:
                await connection.execute(text(statement))
    assert await archived_count(archive_db) == 1
    # the search document alone is derived data: re-indexing may replace it
    async with archive_db.begin() as connection:
        await connection.execute(text("UPDATE archive.events SET search = 'new'::tsvector"))
    [event] = await rows(archive_db, "SELECT search::text AS search, sequence FROM archive.events")
    assert event == {"search": "'new'", "sequence": 1}
