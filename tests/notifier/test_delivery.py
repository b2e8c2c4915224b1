"""Delivery: once per event, recipient and channel; retried through outages; signed webhooks."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from standardwebhooks import Webhook

from services.notifier.adapters.webhook_sender import HttpWebhookSender
from services.notifier.domain.deliveries import DueDelivery
from services.notifier.domain.webhooks import new_secret
from tests.notifier.conftest import client_of, running
from tests.notifier.scenario import (
    TITLE,
    Hearing,
    add_recipient,
    deliveries_of,
    item_created,
    publish,
    settled,
    subscribe,
)
from tests.notifier.servers import Reply, free_port
from tests.support import eventually


async def add_webhook(
    client: httpx.AsyncClient, admin: dict[str, str], recipient_id: str, url: str
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/webhook-endpoints",
        json={"recipient_id": recipient_id, "url": url},
        headers=admin,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def journal(client: httpx.AsyncClient, admin: dict[str, str], delivery_id: Any) -> list[str]:
    response = await client.get(f"/api/v1/deliveries/{delivery_id}", headers=admin)
    assert response.status_code == 200, response.text
    return [entry["status"] for entry in response.json()["journal"]]


async def test_the_same_event_delivered_three_times_makes_one_notification_per_channel(
    client, admin, notifier, publisher, events_topology, smtp_server, receiver
):
    recipient = await add_recipient(client, admin)
    await add_webhook(client, admin, recipient["id"], receiver.url)
    for channel in ("email", "webhook", "inbox"):
        await subscribe(client, admin, recipient["id"], channel=channel)
    # Two subscriptions on one channel still make one notification.
    await subscribe(client, admin, recipient["id"], event_type="workplan.hearing.*")
    event = Hearing().scheduled()
    for _ in range(3):
        await publish(publisher, events_topology, event)

    found = await settled(notifier, 3)
    await asyncio.sleep(0.5)  # let any second notification show itself
    assert sorted(d["channel"] for d in await deliveries_of(notifier)) == [
        "email",
        "inbox",
        "webhook",
    ]
    assert {d["status"] for d in found} == {"sent"}
    assert len(smtp_server.messages) == 1
    assert len(receiver.requests) == 1
    async with notifier.engine.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM notifier.notifications")) == 1
        assert await connection.scalar(text("SELECT count(*) FROM notifier.inbox")) == 1


async def test_mail_server_down_for_a_while_then_back_delivers_each_message_once(
    notifier_settings, admin, notifier, publisher, events_topology, smtp_server, caplog
):
    """Said once at WARNING with the server's address; ``/readyz`` stays 200 and shows the
    mail channel degraded until the server answers again."""
    caplog.set_level(logging.INFO, logger="services.notifier")
    patient = notifier_settings.model_copy(
        update={"delivery_retry_schedule": [0] + [0.4] * 15, "smtp_check_interval": 0.3}
    )
    address = f"127.0.0.1:{smtp_server.port}"
    async with running(patient) as application, client_of(application) as client:
        recipient = await add_recipient(client, admin)
        await subscribe(client, admin, recipient["id"])
        smtp_server.stop()
        try:
            for _ in range(3):
                await publish(publisher, events_topology, Hearing().scheduled())

            async def retrying():
                found = await deliveries_of(notifier, status="retrying")
                return len(found) == 3 and all(d["attempts"] >= 3 for d in found)

            await eventually(retrying, timeout=15)
            [delivery, *_] = await deliveries_of(notifier)
            assert "cannot connect to the mail server" in delivery["last_error"]
            assert smtp_server.messages == []
            ready = await client.get("/readyz")
            assert ready.status_code == 200
            assert ready.json()["status"] == "ready"
            [degraded] = ready.json()["degraded"]
            assert degraded.startswith(f"mail: cannot reach the mail server at {address} (")
        finally:
            smtp_server.start()
        found = await settled(notifier, 3)
        statuses = await journal(client, admin, found[0]["id"])
        recovered = await client.get("/readyz")
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING and "mail" in r.msg]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert f"cannot reach the mail server at {address}" in warnings[0].getMessage()
    assert any(
        f"the mail server at {address} answers again" in r.getMessage() for r in caplog.records
    )
    assert "degraded" not in recovered.json()
    assert {d["status"] for d in found} == {"sent"}
    await asyncio.sleep(0.5)
    assert len(smtp_server.messages) == 3
    ids = [mail.message["Message-ID"] for mail in smtp_server.messages]
    assert len(set(ids)) == 3
    assert statuses[0] == "queued"
    assert "retrying" in statuses
    assert statuses[-1] == "sent"


async def test_a_notifier_started_without_a_reachable_mail_server_says_so_once_at_start(
    notifier_settings, notifier, caplog
):
    caplog.set_level(logging.INFO, logger="services.notifier")
    nobody = free_port()
    unreachable = notifier_settings.model_copy(
        update={"smtp_port": nobody, "smtp_check_interval": 0.2}
    )
    async with running(unreachable) as application, client_of(application) as client:

        async def degraded():
            answer = (await client.get("/readyz")).json()
            return answer.get("degraded")

        [problem] = await eventually(degraded, timeout=10)
        await asyncio.sleep(1)  # several more checks fail meanwhile
        ready = await client.get("/readyz")

    assert ready.status_code == 200
    assert problem.startswith(f"mail: cannot reach the mail server at 127.0.0.1:{nobody} (")
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert [w for w in warnings if "mail server" in w] == [
        f"cannot reach the mail server at 127.0.0.1:{nobody} "
        f"({problem.split(' (', 1)[1].removesuffix(')')}); e-mail waits in the queue and is "
        "retried until the server answers"
    ]


async def test_a_mail_server_refusing_the_recipient_is_a_permanent_failure_an_operator_resends(
    client, admin, notifier, publisher, events_topology, smtp_server
):
    recipient = await add_recipient(client, admin)
    await subscribe(client, admin, recipient["id"])
    smtp_server.handler.refuse = "550 5.1.1 No such mailbox"
    await publish(publisher, events_topology, Hearing().scheduled())
    [failed] = await settled(notifier, 1)
    assert failed["status"] == "failed"
    assert failed["attempts"] == 1  # not retried: the server said no for good
    assert "550" in failed["last_error"]

    listed = await client.get("/api/v1/deliveries?status=failed&status=dead", headers=admin)
    assert [d["id"] for d in listed.json()] == [str(failed["id"])]
    smtp_server.handler.refuse = None
    resent = await client.post(f"/api/v1/deliveries/{failed['id']}/resend", headers=admin)
    assert resent.status_code == 200, resent.text
    [sent] = await settled(notifier, 1)
    assert sent["status"] == "sent"
    assert len(smtp_server.messages) == 1
    again = await client.post(f"/api/v1/deliveries/{failed['id']}/resend", headers=admin)
    assert again.status_code == 409
    assert "sent" in again.json()["detail"]


async def test_webhook_failing_then_succeeding_is_signed_and_keeps_its_id(
    client, admin, notifier, publisher, events_topology, receiver
):
    recipient = await add_recipient(client, admin)
    endpoint = await add_webhook(client, admin, recipient["id"], receiver.url)
    await subscribe(client, admin, recipient["id"], channel="webhook")
    receiver.script = [Reply(500, body=b"database down")]
    event = Hearing().scheduled()
    await publish(publisher, events_topology, event)

    [delivery] = await settled(notifier, 1)
    assert delivery["status"] == "sent"
    assert delivery["attempts"] == 2
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == str(delivery["id"])
    payload = Webhook(endpoint["secret"]).verify(second.body, second.headers)
    assert payload["id"] == event.id
    assert payload["type"] == "workplan.hearing.scheduled.v1"
    assert payload["data"]["title"] == TITLE
    assert second.headers["content-type"].startswith("application/cloudevents+json")
    assert await journal(client, admin, delivery["id"]) == ["queued", "retrying", "sent"]
    details = (await client.get(f"/api/v1/deliveries/{delivery['id']}", headers=admin)).json()
    assert "HTTP 500: database down" in details["journal"][1]["detail"]


async def test_retry_after_is_honoured(
    client, admin, notifier, publisher, events_topology, receiver
):
    recipient = await add_recipient(client, admin)
    await add_webhook(client, admin, recipient["id"], receiver.url)
    await subscribe(client, admin, recipient["id"], channel="webhook")
    receiver.script = [Reply(503, headers={"Retry-After": "2"})]
    await publish(publisher, events_topology, Hearing().scheduled())
    await settled(notifier, 1)
    first, second = receiver.requests
    assert second.at - first.at >= 1.9  # the schedule alone would have waited 0.3 s


async def test_410_gone_disables_the_endpoint(
    client, admin, notifier, publisher, events_topology, receiver
):
    recipient = await add_recipient(client, admin)
    endpoint = await add_webhook(client, admin, recipient["id"], receiver.url)
    await subscribe(client, admin, recipient["id"], channel="webhook")
    receiver.script = [Reply(410)]
    await publish(publisher, events_topology, Hearing().scheduled())
    [gone] = await settled(notifier, 1)
    assert gone["status"] == "failed"
    assert len(receiver.requests) == 1
    found = (await client.get(f"/api/v1/webhook-endpoints/{endpoint['id']}", headers=admin)).json()
    assert found["enabled"] is False
    assert "410" in found["disabled_reason"]

    await publish(publisher, events_topology, Hearing().scheduled())  # nothing is queued for it
    await asyncio.sleep(0.7)
    assert len(await deliveries_of(notifier)) == 1
    refused = await client.post(f"/api/v1/deliveries/{gone['id']}/resend", headers=admin)
    assert refused.status_code == 409
    assert "enable it first" in refused.json()["detail"]


async def test_a_receiver_down_for_the_whole_schedule_leaves_a_dead_delivery_to_resend(
    client, admin, notifier, publisher, events_topology, receiver
):
    recipient = await add_recipient(client, admin)
    await add_webhook(client, admin, recipient["id"], receiver.url)
    await subscribe(client, admin, recipient["id"], channel="webhook")
    receiver.script = [Reply(502)] * 4  # the test schedule has four attempts
    await publish(publisher, events_topology, Hearing().scheduled())
    [dead] = await settled(notifier, 1)
    assert (dead["status"], dead["attempts"]) == ("dead", 4)
    assert await journal(client, admin, dead["id"]) == [
        "queued",
        "retrying",
        "retrying",
        "retrying",
        "dead",
    ]
    resent = await client.post(f"/api/v1/deliveries/{dead['id']}/resend", headers=admin)
    assert resent.json()["status"] == "queued"
    [sent] = await settled(notifier, 1)
    assert (sent["status"], sent["attempts"]) == ("sent", 1)
    assert len(receiver.requests) == 5


async def test_a_restricted_item_gives_no_details_in_any_channel(
    client, admin, notifier, publisher, events_topology, smtp_server, receiver
):
    recipient = await add_recipient(client, admin, cleared=True)
    endpoint = await add_webhook(client, admin, recipient["id"], receiver.url)
    for channel in ("email", "webhook", "inbox"):
        await subscribe(client, admin, recipient["id"], channel=channel)
    uncleared = await add_recipient(client, admin)  # hears nothing of restricted records
    for channel in ("email", "inbox"):
        await subscribe(client, admin, uncleared["id"], channel=channel)
    secret_title = "Secret talks with the delegation"
    hearing = Hearing(
        classification="restricted", title={"en": secret_title}, location="Room 7B (closed)"
    )
    await publish(publisher, events_topology, hearing.scheduled())
    await publish(
        publisher,
        events_topology,
        item_created(classification="restricted", title={"en": secret_title}),
    )
    await settled(notifier, 6)

    secrets = (secret_title, "Room 7B", "Secret talks", "11:00")
    assert len(smtp_server.messages) == 2
    assert {tuple(mail.rcpt_tos) for mail in smtp_server.messages} == {(recipient["email"],)}
    for mail in smtp_server.messages:
        raw = mail.data.decode(errors="replace")
        message = mail.message
        rendered = "".join(part.get_content() for part in message.walk() if not part.is_multipart())
        assert not any(secret in raw or secret in rendered for secret in secrets)
        assert "text/calendar" not in raw
        assert "restricted" in message["Subject"]
        assert "https://workplan.test/api/v1/" in rendered
    for request in receiver.requests:
        body = request.body.decode()
        assert not any(secret in body for secret in secrets)
        payload = Webhook(endpoint["secret"]).verify(request.body, request.headers)
        assert payload["data"]["classification"] == "restricted"
        assert payload["data"]["link"].startswith("https://workplan.test/api/v1/")
    assert {json.loads(r.body)["data"].get("hearing_id") for r in receiver.requests} == {
        str(hearing.id),
        None,
    }
    async with notifier.engine.connect() as connection:
        rows = (
            await connection.execute(text("SELECT title, body FROM notifier.notifications"))
        ).all()
    assert len(rows) == 2
    for title, body in rows:
        assert not any(secret in title or secret in body for secret in secrets)


async def test_a_webhook_url_that_cannot_be_requested_fails_once_without_a_traceback(
    client, admin, notifier, publisher, events_topology, receiver, caplog
):
    recipient = await add_recipient(client, admin)
    endpoint = await add_webhook(client, admin, recipient["id"], receiver.url)
    await subscribe(client, admin, recipient["id"], channel="webhook")
    async with notifier.engine.begin() as connection:  # a URL stored before they were checked
        await connection.execute(
            text("UPDATE notifier.webhook_endpoints SET url = 'http://[::1]x/' WHERE id = :id"),
            {"id": endpoint["id"]},
        )
    await publish(publisher, events_topology, Hearing().scheduled())
    [failed] = await settled(notifier, 1)
    assert (failed["status"], failed["attempts"]) == ("failed", 1)
    assert "the URL cannot be requested: Invalid port: 'x'" in failed["last_error"]
    assert await journal(client, admin, failed["id"]) == ["queued", "failed"]
    assert receiver.requests == []
    assert not [record for record in caplog.records if record.exc_info]


@pytest.mark.parametrize("url", ["http://x.example.az:abc/", "ftp://x.example.az/hook"])
async def test_the_webhook_sender_fails_a_url_it_cannot_request_for_good(url):
    due = DueDelivery(uuid.uuid4(), "webhook", 0, url, b"{}", endpoint_secret=new_secret())
    async with HttpWebhookSender() as sender:
        result = await sender.send(due)
    assert (result.outcome, result.detail.split(":")[0]) == (
        "permanent",
        "the URL cannot be requested",
    )
