"""The administrators' API: recipients, subscriptions, endpoints; bad input gets a precise 4xx."""

from __future__ import annotations

import uuid

import pytest

from tests.notifier.scenario import add_recipient, subscribe

MISSING = str(uuid.uuid4())


async def test_recipients_subscriptions_and_endpoints_round_trip(client, admin, notifier):
    recipient = await add_recipient(client, admin, name="Rəşad", language="az")
    assert recipient["active"] is True
    patched = await client.patch(
        f"/api/v1/recipients/{recipient['id']}",
        json={"timezone": "Europe/Moscow", "language": "ru"},
        headers=admin,
    )
    assert (patched.json()["timezone"], patched.json()["language"]) == ("Europe/Moscow", "ru")

    endpoint = await client.post(
        "/api/v1/webhook-endpoints",
        json={"recipient_id": recipient["id"], "url": "https://hooks.example.gov.az/in"},
        headers=admin,
    )
    assert endpoint.status_code == 201
    secret = endpoint.json()["secret"]
    assert secret.startswith("whsec_")
    listed = (await client.get("/api/v1/webhook-endpoints", headers=admin)).json()
    assert "secret" not in listed[0]
    rotated = await client.post(
        f"/api/v1/webhook-endpoints/{endpoint.json()['id']}/rotate-secret", headers=admin
    )
    assert rotated.json()["secret"] not in (secret, None)

    subscription = await subscribe(
        client, admin, recipient["id"], channel="webhook", event_type="workplan.item.*"
    )
    muted = await client.patch(
        f"/api/v1/subscriptions/{subscription['id']}", json={"muted": True}, headers=admin
    )
    assert muted.json()["muted"] is True
    mine = await client.get(f"/api/v1/subscriptions?recipient_id={recipient['id']}", headers=admin)
    assert [s["id"] for s in mine.json()] == [subscription["id"]]
    gone = await client.delete(f"/api/v1/subscriptions/{subscription['id']}", headers=admin)
    assert gone.status_code == 204
    removed = await client.delete(
        f"/api/v1/webhook-endpoints/{endpoint.json()['id']}", headers=admin
    )
    assert removed.status_code == 204
    assert (await client.get("/api/v1/mandatory-notices", headers=admin)).json() == []


BAD_REQUESTS = [
    ("post", "/api/v1/recipients", {"name": "X", "email": "not-an-address"}, 422, "e-mail address"),
    ("post", "/api/v1/recipients", {"name": "X", "email": "a@b.az", "timezone": "Mars/Olympus"}, 422, "time zone"),
    ("post", "/api/v1/recipients", {"name": "X", "email": "a@b.az", "language": "fr"}, 422, "language"),
    ("post", "/api/v1/recipients", {"name": "", "email": "a@b.az"}, 422, "name"),
    ("post", "/api/v1/recipients", {"name": "X", "email": "a@b.az", "extra": 1}, 422, "extra"),
    ("patch", f"/api/v1/recipients/{MISSING}", {"name": "Y"}, 404, "does not exist"),
    ("patch", "/api/v1/recipients/not-a-uuid", {"name": "Y"}, 422, "recipient_id"),
    ("get", f"/api/v1/recipients/{MISSING}", None, 404, "does not exist"),
    ("post", "/api/v1/subscriptions", {"recipient_id": MISSING, "channel": "email"}, 404, "does not exist"),
    ("post", "/api/v1/subscriptions", {"recipient_id": MISSING, "channel": "sms"}, 422, "channel"),
    ("post", "/api/v1/subscriptions", {"recipient_id": MISSING, "channel": "email", "event_type": "workplan.*.v1"}, 422, "prefix ending in *"),
    ("post", "/api/v1/subscriptions", {"recipient_id": MISSING, "channel": "email", "organization": "pace"}, 422, "organization"),
    ("get", f"/api/v1/subscriptions/{MISSING}", None, 404, "does not exist"),
    ("delete", f"/api/v1/subscriptions/{MISSING}", None, 404, "does not exist"),
    ("post", "/api/v1/webhook-endpoints", {"recipient_id": MISSING, "url": "ftp://x.az/"}, 422, "http(s)"),
    ("post", "/api/v1/webhook-endpoints", {"recipient_id": MISSING, "url": "https://u:p@x.az/"}, 422, "credentials"),
    ("post", "/api/v1/webhook-endpoints", {"recipient_id": MISSING, "url": "https://x.az/"}, 404, "does not exist"),
    ("post", "/api/v1/mandatory-notices", {"event_type": "bad type!"}, 422, "event type"),
    ("delete", f"/api/v1/mandatory-notices/{MISSING}", None, 404, "does not exist"),
    ("get", f"/api/v1/deliveries/{MISSING}", None, 404, "does not exist"),
    ("post", f"/api/v1/deliveries/{MISSING}/resend", None, 404, "does not exist"),
    ("get", "/api/v1/deliveries?status=lost", None, 422, "status"),
    ("get", "/api/v1/deliveries?limit=0", None, 422, "limit"),
    ("post", "/api/v1/digests?day=2026-02-30", None, 422, "day"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body", "status", "words"), BAD_REQUESTS)
async def test_bad_requests_get_a_precise_4xx(
    client, admin, notifier, method, path, body, status, words
):
    response = await client.request(method, path, json=body, headers=admin)
    assert response.status_code == status, response.text
    assert words in response.text


async def test_rules_that_need_the_database_say_what_is_wrong(client, admin, notifier):
    recipient = await add_recipient(client, admin, email="same@example.gov.az")
    again = await client.post(
        "/api/v1/recipients", json={"name": "Y", "email": "SAME@example.gov.az"}, headers=admin
    )
    assert again.status_code == 409
    assert "exists already" in again.json()["detail"]
    no_endpoint = await client.post(
        "/api/v1/subscriptions",
        json={"recipient_id": recipient["id"], "channel": "webhook"},
        headers=admin,
    )
    assert no_endpoint.status_code == 422
    assert "no webhook endpoint" in no_endpoint.json()["detail"]
    digest_inbox = await client.post(
        "/api/v1/subscriptions",
        json={"recipient_id": recipient["id"], "channel": "inbox", "mode": "digest"},
        headers=admin,
    )
    assert digest_inbox.status_code == 422
    assert "e-mail only" in digest_inbox.json()["detail"]
    subscription = await subscribe(client, admin, recipient["id"])
    nulled = await client.patch(
        f"/api/v1/subscriptions/{subscription['id']}", json={"mode": None}, headers=admin
    )
    assert nulled.status_code == 422
    assert "cannot be null" in nulled.text
    to_digest_webhook = await client.patch(
        f"/api/v1/subscriptions/{subscription['id']}", json={"mode": "digest"}, headers=admin
    )
    assert to_digest_webhook.status_code == 200
    empty = await client.patch(f"/api/v1/recipients/{recipient['id']}", json={}, headers=admin)
    assert empty.status_code == 422
    assert "at least one field" in empty.text


async def test_the_process_reports_health_and_readiness(client, notifier):
    assert (await client.get("/healthz")).json()["service"] == "notifier"
    ready = await client.get("/readyz")
    assert ready.status_code == 200, ready.text
    metrics = await client.get("/metrics")
    assert "workplan_notifier_delivery_attempts_total" in metrics.text
