"""The administrators' API: recipients, subscriptions, endpoints; bad input gets a precise 4xx."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from services.notifier.entrypoints.api import schemas
from shared.auth.tokens import mint_token
from shared.runtime import dead_letters_api
from tests.notifier.scenario import add_recipient, subscribe
from tests.support import eventually

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
    ("post", "/api/v1/subscriptions", {"recipient_id": MISSING, "channel": "email", "event_type": "workplan.hearings.*"}, 422, "matches none of the event types"),
    ("post", "/api/v1/subscriptions", {"recipient_id": MISSING, "channel": "email", "event_type": "workplan.hearing.scheduled"}, 422, "did you mean workplan.hearing.scheduled.v1?"),
    ("post", "/api/v1/mandatory-notices", {"event_type": "workplan.hearing.canceled.*"}, 422, "matches none of the event types"),
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
    ("get", "/api/v1/deliveries?format=csv", None, 422, "format"),
    ("get", "/api/v1/recipients?format=csv", None, 422, "format"),
    ("get", "/api/v1/mandatory-notices?format=jsonl", None, 422, "format"),
    ("post", "/api/v1/digests?day=2026-02-30", None, 422, "day"),
    ("post", "/api/v1/digests?day=0001-01-01", None, 422, "between the years 1900 and 2200"),
    ("post", "/api/v1/digests?day=9999-12-31", None, 422, "between the years 1900 and 2200"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body", "status", "words"), BAD_REQUESTS)
async def test_bad_requests_get_a_precise_4xx(
    client, admin, notifier, method, path, body, status, words
):
    response = await client.request(method, path, json=body, headers=admin)
    assert response.status_code == status, response.text
    assert words in response.text


REFUSED_FIELDS = [
    ("/api/v1/recipients", {"name": "X", "email": "a\u0000b@b.az"}, "email", "must not contain control characters"),
    ("/api/v1/recipients", {"name": "X", "email": "a\u0007b@b.az"}, "email", "must not contain control characters"),
    ("/api/v1/recipients", {"name": "X", "email": "a@b.az\n"}, "email", "must not contain control characters"),
    *[
        ("/api/v1/recipients", {"name": "X", "email": "a@b.az", "timezone": zone}, "timezone", f"{zone!r} is not a known IANA time zone")
        for zone in ("America", "Europe", "__pycache__", "posixrules", "Factory", "localtime")
    ],
    ("/api/v1/webhook-endpoints", {"recipient_id": MISSING, "url": "https://x.az/\u0000"}, "url", "white space or control characters"),
    ("/api/v1/webhook-endpoints", {"recipient_id": MISSING, "url": "https://x.az/a b"}, "url", "white space or control characters"),
    ("/api/v1/webhook-endpoints", {"recipient_id": MISSING, "url": "http://[::1]x/"}, "url", "text after its [IPv6] host"),
    ("/api/v1/webhook-endpoints", {"recipient_id": MISSING, "url": "http://[zz]/"}, "url", "is malformed"),
    ("/api/v1/webhook-endpoints", {"recipient_id": MISSING, "url": "http://x:abc/"}, "url", "invalid port"),
    ("/api/v1/webhook-endpoints", {"recipient_id": MISSING, "url": "http://x.az:70000/"}, "url", "invalid port"),
    ("/api/v1/webhook-endpoints", {"recipient_id": MISSING, "url": "http://bad_.-host/"}, "url", "invalid host name"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "body", "field", "words"), REFUSED_FIELDS)
async def test_an_unusable_value_is_a_422_naming_the_field(
    client, admin, notifier, path, body, field, words
):
    response = await client.post(path, json=body, headers=admin)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", field]
    assert words in error["msg"]


async def test_a_change_to_an_unusable_value_is_refused_and_changes_nothing(
    client, admin, notifier
):
    recipient = await add_recipient(client, admin, timezone="Asia/Baku")
    endpoint = await client.post(
        "/api/v1/webhook-endpoints",
        json={"recipient_id": recipient["id"], "url": "https://hooks.example.gov.az/in"},
        headers=admin,
    )
    assert endpoint.status_code == 201, endpoint.text
    changes = [
        (f"/api/v1/recipients/{recipient['id']}", "email", "x\u0000@example.gov.az"),
        (f"/api/v1/recipients/{recipient['id']}", "timezone", "America"),
        (f"/api/v1/webhook-endpoints/{endpoint.json()['id']}", "url", "https://x.az/\u0000"),
        (f"/api/v1/webhook-endpoints/{endpoint.json()['id']}", "url", "http://x:abc/"),
    ]
    for path, field, value in changes:
        response = await client.patch(path, json={field: value}, headers=admin)
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["loc"] == ["body", field]
    after = (await client.get(f"/api/v1/recipients/{recipient['id']}", headers=admin)).json()
    assert (after["email"], after["timezone"]) == (recipient["email"], "Asia/Baku")
    hook = await client.get(f"/api/v1/webhook-endpoints/{endpoint.json()['id']}", headers=admin)
    assert hook.json()["url"] == "https://hooks.example.gov.az/in"


async def test_real_time_zones_are_accepted(client, admin, notifier):
    for zone in ("UTC", "Asia/Baku", "Asia/Tokyo", "America/Argentina/Buenos_Aires", "Etc/GMT+4"):
        recipient = await add_recipient(client, admin, timezone=zone)
        assert recipient["timezone"] == zone


BODIES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "RecipientIn": ("post", "/api/v1/recipients", {"name": "X", "email": "a@b.az"}),
    "RecipientPatch": ("patch", f"/api/v1/recipients/{MISSING}", {}),
    "SubscriptionIn": ("post", "/api/v1/subscriptions", {"recipient_id": MISSING, "channel": "email"}),
    "SubscriptionPatch": ("patch", f"/api/v1/subscriptions/{MISSING}", {}),
    "WebhookEndpointIn": ("post", "/api/v1/webhook-endpoints", {"recipient_id": MISSING, "url": "https://x.az/"}),
    "WebhookEndpointPatch": ("patch", f"/api/v1/webhook-endpoints/{MISSING}", {}),
    "MandatoryNoticeIn": ("post", "/api/v1/mandatory-notices", {"event_type": "workplan.*"}),
    "OwnSubscriptionIn": ("post", "/api/v1/me/subscriptions", {"channel": "email"}),
    "PreferencesPatch": ("patch", "/api/v1/me", {}),
    "ReplayIn": ("post", "/api/v1/dead-letters/replay", {"all": True}),
}  # fmt: skip
"""Each request body of the API: the request that sends it, and a valid body of it."""
WITH_NUL = {
    "name": "Ley\u0000la",
    "email": "ley\u0000la@example.gov.az",
    "timezone": "Asia/Ba\u0000ku",
    "event_type": "workplan.hearing\u0000.*",
    "committee": "MM-\u0000IRIPT",
    "organization": "PA\u0000CE",
    "url": "https://hooks.example.gov.az/i\u0000n",
    "description": "Ministry\u0000 calendar",
}
"""A value of each text field that would be valid but for the NUL hidden inside it."""


def _text_fields(body: str) -> list[str]:
    """The fields of a body that take a string other than a uuid or one of a few words."""
    model = getattr(schemas, body, None) or getattr(dead_letters_api, body)
    properties = model.model_json_schema()["properties"]
    return [
        name
        for name, spec in properties.items()
        if any(
            option.get("type") == "string" and not {"enum", "const", "format"} & option.keys()
            for option in spec.get("anyOf", [spec])
        )
    ]


async def test_every_request_body_is_checked_for_nul_characters(client):
    spec = (await client.get("/openapi.json")).json()
    sent = {
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
        for operations in spec["paths"].values()
        for operation in operations.values()
        if "requestBody" in operation
    }
    assert sent == set(BODIES)


@pytest.mark.parametrize(
    ("body", "field"), [(body, field) for body in BODIES for field in _text_fields(body)]
)
async def test_a_nul_character_in_any_text_field_is_a_422_naming_the_field(
    client, notifier_settings, notifier, body, field
):
    method, path, valid = BODIES[body]
    # an administrator who is also a recipient (the /api/v1/me routes need a recipient id)
    token = mint_token(
        notifier_settings, subject=str(uuid.uuid4()), scopes=["notifier:admin", "notifier:read"]
    )
    response = await client.request(
        method, path, json={**valid, field: WITH_NUL[field]},
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip
    assert response.status_code == 422, response.text
    assert ["body", field] in [error["loc"] for error in response.json()["detail"]]


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

    async def ready() -> bool:  # the consumer attaches in the background after start-up
        return (await client.get("/readyz")).status_code == 200

    await eventually(ready, timeout=10)
    metrics = await client.get("/metrics")
    assert "workplan_notifier_delivery_attempts_total" in metrics.text
