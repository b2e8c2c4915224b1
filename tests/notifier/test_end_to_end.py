"""End to end: staff schedule a hearing in the planner; the notifier e-mails the invitation;
a bad event on the bus is dead-lettered by the notifier with its reason."""

from __future__ import annotations

import json
import uuid
from typing import Any

import icalendar
import pytest

from services.planner.main import create_app as create_planner
from shared.messaging.dead_letter_queue import list_dead_letters
from shared.messaging.publisher import OutgoingMessage
from tests.notifier.conftest import client_of
from tests.notifier.scenario import add_recipient, subscribe
from tests.planner.conftest import planner, sample_plan  # noqa: F401 - fixtures used here
from tests.support import bearer, eventually


@pytest.fixture
async def planner_client(settings, planner, sample_plan):  # noqa: F811
    application = create_planner(settings)
    async with application.router.lifespan_context(application), client_of(application) as http:
        yield http


async def test_a_hearing_scheduled_in_the_planner_reaches_staff_as_an_invitation(
    client,
    admin,
    notifier,
    planner_client,
    sample_plan,  # noqa: F811 - the planner's fixture, imported above
    settings,
    smtp_server,
):
    staff = await add_recipient(client, admin, language="az")
    await subscribe(client, admin, staff["id"], event_type="workplan.hearing.*")
    item_id = sample_plan["justice-for-khojaly-campaign"]
    scheduled = await planner_client.post(
        f"/api/v1/items/{item_id}/hearings",
        json={
            "starts_at": "2026-03-12T11:00:00+04:00",
            "ends_at": "2026-03-12T13:00:00+04:00",
            "location": "Hall 2",
        },
        headers=bearer(settings, "planner:read", "planner:write"),
    )
    assert scheduled.status_code == 201, scheduled.text
    hearing_id = scheduled.json()["id"]

    def invitation(mail) -> icalendar.Event:
        [part] = [p for p in mail.message.walk() if p.get_content_type() == "text/calendar"]
        return icalendar.Calendar.from_ical(part.get_content()).events[0]

    async def mailed():  # the sample plan's own hearings are mailed too: find this one
        return [
            m
            for m in smtp_server.messages
            if m.rcpt_tos == [staff["email"]]
            and str(invitation(m)["UID"]) == f"hearing-{hearing_id}@workplan"
        ]

    [mail] = await eventually(mailed, timeout=20)
    event = invitation(mail)
    assert str(event["UID"]) == f"hearing-{hearing_id}@workplan"
    assert "12 mart 2026, 11:00–13:00 (Asia/Baku)" in mail.message["Subject"]


async def test_an_event_the_contract_refuses_is_dead_lettered_with_the_reason(
    client, notifier, publisher, events_topology, amqp_url
):
    bad: dict[str, Any] = {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "urn:workplan:planner",
        "type": "workplan.hearing.scheduled.v1",
        "data": {"hearing_id": "not-a-uuid"},
    }
    await publisher.publish(
        OutgoingMessage(
            exchange=events_topology.events_exchange,
            routing_key=bad["type"],
            body=json.dumps(bad).encode(),
            content_type="application/cloudevents+json",
            message_id=bad["id"],
        )
    )

    async def refused():
        letters = await list_dead_letters(amqp_url, events_topology, "notifier")
        return [letter for letter in letters if letter.message_id == bad["id"]]

    [letter] = await eventually(refused, timeout=10)
    assert letter.code == "invalid_data"
    assert "hearing_id" in letter.reason
