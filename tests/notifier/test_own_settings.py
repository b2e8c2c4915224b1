"""A recipient manages their own subscriptions and preferences with their own
``notifier:read`` token (``/api/v1/me``), never another recipient's, and needs no admin."""

from __future__ import annotations

from shared.auth.tokens import mint_token


def own_token(settings, recipient_id: str) -> dict[str, str]:
    token = mint_token(settings, subject=recipient_id, scopes=["notifier:read"])
    return {"Authorization": f"Bearer {token}"}


async def add(client, admin, name: str) -> dict:
    created = await client.post(
        "/api/v1/recipients",
        headers=admin,
        json={"name": name, "email": f"{name}@example.gov.az", "language": "az"},
    )
    assert created.status_code == 201, created.text
    return created.json()


async def test_a_recipient_manages_their_own_subscriptions_and_preferences(
    client, admin, notifier, notifier_settings
):
    leyla, aysel = await add(client, admin, "leyla"), await add(client, admin, "aysel")
    mine = own_token(notifier_settings, leyla["id"])

    me = await client.get("/api/v1/me", headers=mine)
    assert me.status_code == 200
    assert me.json()["email"] == "leyla@example.gov.az"
    changed = await client.patch(
        "/api/v1/me", headers=mine, json={"language": "ru", "timezone": "Europe/Moscow"}
    )
    assert changed.status_code == 200
    assert (changed.json()["language"], changed.json()["timezone"]) == ("ru", "Europe/Moscow")

    made = await client.post(
        "/api/v1/me/subscriptions",
        headers=mine,
        json={"channel": "email", "event_type": "workplan.hearing.*", "mode": "digest"},
    )
    assert made.status_code == 201, made.text
    assert made.json()["recipient_id"] == leyla["id"]
    listed = await client.get("/api/v1/me/subscriptions", headers=mine)
    assert [s["id"] for s in listed.json()] == [made.json()["id"]]

    muted = await client.patch(
        f"/api/v1/me/subscriptions/{made.json()['id']}", headers=mine, json={"muted": True}
    )
    assert muted.status_code == 200
    assert muted.json()["muted"] is True
    removed = await client.delete(f"/api/v1/me/subscriptions/{made.json()['id']}", headers=mine)
    assert removed.status_code == 204
    assert (await client.get("/api/v1/me/subscriptions", headers=mine)).json() == []

    # aysel's subscription does not exist for leyla
    theirs = await client.post(
        "/api/v1/subscriptions",
        headers=admin,
        json={"recipient_id": aysel["id"], "channel": "inbox"},
    )
    path = f"/api/v1/me/subscriptions/{theirs.json()['id']}"
    assert (await client.patch(path, headers=mine, json={"muted": True})).status_code == 404
    assert (await client.delete(path, headers=mine)).status_code == 404
    still = await client.get(f"/api/v1/subscriptions/{theirs.json()['id']}", headers=admin)
    assert still.json()["muted"] is False


async def test_a_recipient_cannot_change_what_only_an_administrator_may(
    client, admin, notifier, notifier_settings
):
    leyla = await add(client, admin, "leyla")
    mine = own_token(notifier_settings, leyla["id"])
    for body in ({"cleared": True}, {"active": False}, {"email": "x@example.gov.az"}, {}):
        refused = await client.patch("/api/v1/me", headers=mine, json=body)
        assert refused.status_code == 422, body
    digest_inbox = await client.post(
        "/api/v1/me/subscriptions", headers=mine, json={"channel": "inbox", "mode": "digest"}
    )
    assert digest_inbox.status_code == 422
    assert "e-mail only" in digest_inbox.json()["detail"]
    other = await client.post(
        "/api/v1/me/subscriptions",
        headers=mine,
        json={"channel": "inbox", "recipient_id": leyla["id"]},
    )
    assert other.status_code == 422, "the recipient is the token's, never a field"
    # an admin token is not a recipient's, and a token without a recipient id is refused
    assert (await client.get("/api/v1/me", headers=admin)).status_code == 403
    no_one = own_token(notifier_settings, "clerk")
    assert (await client.get("/api/v1/me/subscriptions", headers=no_one)).status_code == 403
