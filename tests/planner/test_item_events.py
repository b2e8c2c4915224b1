"""From a staff action to a confirmed CloudEvent on the broker."""

from __future__ import annotations

import httpx
from aio_pika import DeliveryMode

from shared.contract import parse_data
from shared.contract.amqp_binding import STRUCTURED_CONTENT_TYPE, decode_message
from shared.contract.hearings import HearingRescheduled
from shared.contract.items import ItemCreated
from tests.support import ProbeQueue, eventually

NEW_ITEM = {
    "committee": "MM-IRIPT",
    "session": "2026-spring",
    "ref": "pace-april-part-session",
    "title": {"az": "AŞPA-nın aprel sessiyası", "en": "PACE April part-session"},
    "category": "delegation_support",
    "organizations": ["PACE"],
}


async def test_item_created_over_http_reaches_a_bound_queue_as_a_valid_cloudevent(
    client: httpx.AsyncClient, staff, sample_plan, amqp_url, topology
):
    async with ProbeQueue(amqp_url, topology, "workplan.item.#") as probe:
        response = await client.post("/api/v1/items", json=NEW_ITEM, headers=staff)
        assert response.status_code == 201, response.text
        item_id = response.json()["id"]
        messages = await probe.wait_for(13)  # the 12 imported items, then ours

    created = [
        decode_message(m.body, m.headers, m.content_type)
        for m in messages
        if m.routing_key == "workplan.item.created.v1"
    ]
    ours = next(event for event in created if event.subject == f"item/{item_id}")
    message = next(m for m in messages if m.message_id == ours.id)
    assert message.content_type == STRUCTURED_CONTENT_TYPE
    assert message.delivery_mode == DeliveryMode.PERSISTENT
    assert ours.source == "urn:workplan:planner"
    assert ours.sequence == "1"
    data = parse_data(ours.type, ours.data)
    assert isinstance(data, ItemCreated)
    assert data.title["az"] == "AŞPA-nın aprel sessiyası"
    assert data.organizations == ["PACE"]


async def test_reschedule_carries_the_previous_start_and_a_higher_sequence(
    client: httpx.AsyncClient, staff, sample_plan, amqp_url, topology
):
    item_id = sample_plan["justice-for-khojaly-campaign"]
    async with ProbeQueue(amqp_url, topology, "workplan.hearing.#") as probe:
        scheduled = await client.post(
            f"/api/v1/items/{item_id}/hearings",
            json={
                "starts_at": "2026-03-12T11:00:00+04:00",
                "ends_at": "2026-03-12T13:00:00+04:00",
                "location": "Hall 2",
            },
            headers=staff,
        )
        assert scheduled.status_code == 201, scheduled.text
        hearing_id = scheduled.json()["id"]
        moved = await client.post(
            f"/api/v1/hearings/{hearing_id}/reschedule",
            json={
                "starts_at": "2026-03-19T11:00:00+04:00",
                "ends_at": "2026-03-19T13:00:00+04:00",
                "location": "Hall 3",
                "reason": "Rapporteur abroad",
            },
            headers=staff,
        )
        assert moved.status_code == 200, moved.text

        async def ours():  # the sample plan's own hearings are on the bus too
            events = [decode_message(m.body, m.headers, m.content_type) for m in probe.messages]
            found = [event for event in events if event.subject == f"hearing/{hearing_id}"]
            return found if len(found) >= 2 else None

        first, second = (await eventually(ours))[:2]

    assert (first.type, second.type) == (
        "workplan.hearing.scheduled.v1",
        "workplan.hearing.rescheduled.v1",
    )
    assert first.subject == second.subject == f"hearing/{hearing_id}"
    assert int(second.sequence or 0) > int(first.sequence or 0)
    data = parse_data(second.type, second.data)
    assert isinstance(data, HearingRescheduled)
    assert data.previous_starts_at.isoformat() == "2026-03-12T07:00:00+00:00"
    assert data.previous_location == "Hall 2"
    assert data.starts_at.isoformat() == "2026-03-19T07:00:00+00:00"
    assert data.reason == "Rapporteur abroad"
