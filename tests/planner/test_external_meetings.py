"""Meetings reported by other government systems: recorded once, linked; bad ones dead-lettered."""

from __future__ import annotations

import json
import uuid

import aio_pika
import pytest
from sqlalchemy import text

from services.planner.bootstrap import Planner
from shared.contract import CloudEvent
from shared.messaging.dead_letter_queue import list_dead_letters, replay_dead_letters
from shared.messaging.publisher import ConfirmingPublisher, OutgoingMessage
from shared.messaging.topology import Topology
from shared.observability.metrics import EVENTS_DUPLICATE
from shared.settings import PLANNER_SOURCE
from tests.conftest import EXTERNAL_SOURCE
from tests.support import eventually
from workplan.cli.events import to_message


def meeting_event(source: str = EXTERNAL_SOURCE, **data_overrides) -> CloudEvent:
    meeting_id = f"mfa-{uuid.uuid4().hex[:8]}"
    data = {
        "meeting_id": meeting_id,
        "organizations": ["MFA"],
        "held_at": "2026-02-18T10:00:00+04:00",
        "title": {"en": "Briefing on the spring agenda", "az": "Yaz gündəliyi üzrə brifinq"},
        "participants": [{"name": "Deputy minister", "role": "speaker", "organization": "MFA"}],
        "reported_by": "MFA protocol department",
        **data_overrides,
    }
    return CloudEvent(
        specversion="1.0",
        id=str(uuid.uuid4()),
        source=source,
        type="workplan.meeting.held.v1",
        subject=f"meeting/{meeting_id}",
        sequence="1",
        datacontenttype="application/json",
        data=data,
    )


@pytest.fixture
async def publisher(amqp_url):
    publisher = ConfirmingPublisher(amqp_url, app_id="test-external-system")
    await publisher.connect()
    yield publisher
    await publisher.close()


async def meetings_of(planner: Planner) -> list[dict]:
    """Meetings other systems reported (not those the sample plan records)."""
    async with planner.engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT source, external_id, item_id, organizations FROM planner.meetings "
                "WHERE source <> :planner"
            ),
            {"planner": PLANNER_SOURCE},
        )
        return [dict(row._mapping) for row in rows]


async def status_of(planner: Planner, item_id: str) -> str:
    async with planner.engine.connect() as connection:
        return await connection.scalar(
            text("SELECT status FROM planner.items WHERE id = :id"), {"id": item_id}
        )


async def drain_dead_letters(amqp_url: str, topology: Topology) -> None:
    """Start a test with an empty dead-letter queue (earlier tests may have left some)."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(topology.dead_letter_queue("planner"), passive=True)
        await queue.purge()


@pytest.mark.parametrize("mode", ["structured", "binary"])
async def test_meeting_from_a_registered_source_is_recorded_and_linked_to_the_open_item(
    app, planner, sample_plan, publisher, topology, mode
):
    event = meeting_event()
    await publisher.publish(to_message(event, topology, mode=mode))

    meetings = await eventually(lambda: meetings_of(planner))
    assert meetings == [
        {
            "source": EXTERNAL_SOURCE,
            "external_id": event.data["meeting_id"],
            "item_id": uuid.UUID(sample_plan["mfa-meetings"]),
            "organizations": ["MFA"],
        }
    ]
    assert await status_of(planner, sample_plan["mfa-meetings"]) == "in_progress"


async def test_a_duplicate_inbound_event_changes_nothing(
    app, planner, sample_plan, publisher, topology
):
    duplicates_before = EVENTS_DUPLICATE.labels("planner")._value.get()
    event = meeting_event()
    for _ in range(3):
        await publisher.publish(to_message(event, topology, mode="structured"))

    await eventually(
        lambda: _gt(EVENTS_DUPLICATE.labels("planner")._value.get(), duplicates_before + 1)
    )
    assert len(await meetings_of(planner)) == 1
    async with planner.engine.connect() as connection:
        inbox = await connection.scalar(text("SELECT count(*) FROM planner.inbox"))
        status_events = await connection.scalar(
            text(
                "SELECT count(*) FROM planner.outbox WHERE type = 'workplan.item.status_changed.v1' "
                "AND body -> 'data' ->> 'item_id' = :item"
            ),
            {"item": sample_plan["mfa-meetings"]},
        )
    assert inbox == 1
    assert status_events == 1  # planned → in_progress once, not three times


async def _gt(value: float, threshold: float) -> bool:
    return value >= threshold


async def test_a_meeting_from_an_unregistered_source_is_dead_lettered_with_the_reason(
    app, planner, sample_plan, publisher, topology, amqp_url
):
    await drain_dead_letters(amqp_url, topology)
    stranger = meeting_event(source="urn:unknown:system")
    good = meeting_event()
    await publisher.publish(to_message(stranger, topology, mode="structured"))
    await publisher.publish(to_message(good, topology, mode="structured"))

    meetings = await eventually(lambda: meetings_of(planner))  # the next message is processed
    assert [m["external_id"] for m in meetings] == [good.data["meeting_id"]]
    letters = await eventually(lambda: list_dead_letters(amqp_url, topology, "planner"), timeout=10)
    assert [(letter.message_id, letter.code) for letter in letters] == [
        (stranger.id, "unregistered_source")
    ]
    assert "urn:unknown:system" in letters[0].reason
    assert letters[0].routing_key == "workplan.meeting.held.v1"
    assert json.loads(letters[0].body)["id"] == stranger.id  # kept exactly as received


@pytest.mark.parametrize(
    ("message", "code", "words"),
    [
        (
            OutgoingMessage("", "", b"hello", "text/plain", "m-text"),
            "not_cloudevent",
            "no ce- headers",
        ),
        (
            OutgoingMessage("", "", b"{not json", "application/cloudevents+json", "m-json"),
            "invalid_event",
            "not valid JSON",
        ),
        (
            OutgoingMessage(
                "", "", b'{"specversion": "1.0"}', "application/cloudevents+json", "m-env"
            ),
            "invalid_envelope",
            "id: Field required",
        ),
    ],
)
async def test_messages_that_are_not_valid_cloudevents_are_dead_lettered_with_a_reason(
    app, planner, topology, publisher, amqp_url, message, code, words
):
    await drain_dead_letters(amqp_url, topology)
    routed = OutgoingMessage(
        exchange=topology.events_exchange,
        routing_key="workplan.meeting.held.v1",
        body=message.body,
        content_type=message.content_type,
        message_id=message.message_id,
    )
    await publisher.publish(routed)
    letters = await eventually(lambda: list_dead_letters(amqp_url, topology, "planner"))
    assert letters[0].code == code
    assert words in letters[0].reason


async def test_invalid_meeting_data_is_dead_lettered_and_can_be_replayed_after_a_fix(
    app, planner, sample_plan, publisher, topology, amqp_url
):
    await drain_dead_letters(amqp_url, topology)
    event = meeting_event(organizations=["UNKNOWN-ORG"])
    await publisher.publish(to_message(event, topology, mode="binary"))
    letters = await eventually(lambda: list_dead_letters(amqp_url, topology, "planner"))
    assert letters[0].code == "unknown_organization"
    assert "UNKNOWN-ORG" in letters[0].reason

    async with planner.engine.begin() as connection:  # the organisation gets registered
        await connection.execute(
            text(
                "INSERT INTO planner.organizations (code, name, classification) "
                "VALUES ('UNKNOWN-ORG', '{\"en\": \"Now known\"}', 'ministry')"
            )
        )
    assert await replay_dead_letters(amqp_url, topology, "planner", message_ids={event.id}) == 1
    meetings = await eventually(lambda: meetings_of(planner))
    assert meetings[0]["organizations"] == ["UNKNOWN-ORG"]
    assert await list_dead_letters(amqp_url, topology, "planner") == []


@pytest.mark.parametrize(
    ("held_at", "words"),
    [
        ("2099-02-18T10:00:00+04:00", "2099-02-18 10:00 (Asia/Baku), which is in the future"),
        ("2026-07-02T10:00:00+04:00", "held 2026-07-02 10:00 (Asia/Baku) lies outside session"),
    ],
)
async def test_a_meeting_held_in_the_future_or_outside_its_items_session_is_dead_lettered(
    app, planner, sample_plan, publisher, topology, amqp_url, held_at, words
):
    await drain_dead_letters(amqp_url, topology)
    event = meeting_event(held_at=held_at, item_id=sample_plan["mfa-meetings"])
    await publisher.publish(to_message(event, topology, mode="structured"))

    letters = await eventually(lambda: list_dead_letters(amqp_url, topology, "planner"))
    assert [(letter.message_id, letter.code) for letter in letters] == [
        (event.id, "implausible_time")
    ]
    assert words in letters[0].reason
    assert await meetings_of(planner) == []
    assert await status_of(planner, sample_plan["mfa-meetings"]) == "planned"
