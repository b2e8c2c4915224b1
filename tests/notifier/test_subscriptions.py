"""Who gets what: filters, muting, mandatory notices, one-click unsubscribe, the inbox."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from tests.notifier.scenario import (
    Hearing,
    add_recipient,
    deliveries_of,
    item_created,
    publish,
    settled,
    subscribe,
)
from tests.support import bearer, eventually


async def test_filters_by_type_prefix_committee_item_and_organisation(
    client, admin, notifier, publisher, events_topology, smtp_server
):
    hearing = Hearing()
    people = {}
    for name, filters in {
        "hearings": {"event_type": "workplan.hearing.*"},
        "items": {"event_type": "workplan.item.*"},
        "exact": {"event_type": "workplan.hearing.scheduled.v1"},
        "committee": {"committee": "MM-IRIPT"},
        "other-committee": {"committee": "MM-OTHER"},
        "item": {"item_id": str(hearing.item_id)},
        "other-item": {"item_id": str(uuid.uuid4())},
        "osce": {"organization": "OSCE-PA"},
        "pace": {"organization": "PACE"},
    }.items():
        recipient = await add_recipient(client, admin, name=name)
        await subscribe(client, admin, recipient["id"], **filters)
        people[recipient["email"]] = name
    await publish(publisher, events_topology, hearing.scheduled())
    await settled(notifier, 5)
    await asyncio.sleep(0.3)
    told = sorted(people[mail.rcpt_tos[0]] for mail in smtp_server.messages)
    assert told == ["committee", "exact", "hearings", "item", "osce"]


async def test_mandatory_notices_reach_muted_and_unsubscribed_recipients(
    client, admin, notifier, publisher, events_topology, smtp_server
):
    recipient = await add_recipient(client, admin)
    subscription = await subscribe(client, admin, recipient["id"], event_type="workplan.hearing.*")
    response = await client.post(
        "/api/v1/mandatory-notices",
        json={"event_type": "workplan.hearing.cancelled.*", "committee": "MM-IRIPT"},
        headers=admin,
    )
    assert response.status_code == 201, response.text
    hearing = Hearing()
    await publish(publisher, events_topology, hearing.scheduled())
    await eventually(lambda: _count(smtp_server, 1))

    # The recipient clicks the one-click unsubscribe link of the first mail (RFC 8058).
    url = smtp_server.messages[0].message["List-Unsubscribe"].strip("<>")
    path = url.removeprefix("https://notifier.workplan.test")
    page = await client.get(path)
    assert page.status_code == 200
    assert '<form method="post"' in page.text
    clicked = await client.post(path, content=b"List-Unsubscribe=One-Click")
    assert clicked.status_code == 200, clicked.text
    found = await client.get(f"/api/v1/subscriptions/{subscription['id']}", headers=admin)
    assert found.json()["muted"] is True

    await publish(
        publisher,
        events_topology,
        hearing.rescheduled("2026-03-13T11:00:00+04:00", "2026-03-13T12:00:00+04:00"),
    )
    await publish(publisher, events_topology, hearing.cancelled())
    await settled(notifier, 2)
    await asyncio.sleep(0.5)
    subjects = [mail.message["Subject"] for mail in smtp_server.messages]
    assert len(subjects) == 2  # the reschedule was muted; the cancellation was not
    assert subjects[1].startswith("Hearing cancelled")
    assert (
        "This notice is mandatory"
        in smtp_server.messages[1].message.get_body(preferencelist=("plain",)).get_content()
    )


async def _count(smtp_server: Any, count: int) -> bool:
    return len(smtp_server.messages) >= count


async def test_unsubscribe_refuses_a_forged_token(client, notifier):
    forged = await client.post("/unsubscribe?token=s.0123456789abcdef0123456789abcdef.AAAA")
    assert forged.status_code == 422
    assert "signature" in forged.json()["detail"]
    garbage = await client.get("/unsubscribe?token=hello")
    assert garbage.status_code == 422
    missing = await client.post("/unsubscribe")
    assert missing.status_code == 422


async def test_a_recipient_reads_only_their_own_inbox(
    client, admin, notifier, notifier_settings, publisher, events_topology
):
    anna = await add_recipient(client, admin, name="Anna")
    boris = await add_recipient(client, admin, name="Boris", language="ru")
    for person in (anna, boris):
        await subscribe(client, admin, person["id"], channel="inbox")
    await publish(publisher, events_topology, Hearing().scheduled())
    await publish(publisher, events_topology, item_created())
    await settled(notifier, 4)

    as_anna = bearer_for(notifier_settings, anna["id"])
    listed = await client.get("/api/v1/inbox", headers=as_anna)
    assert listed.status_code == 200
    titles = [n["title"] for n in listed.json()]
    assert len(titles) == 2
    assert any(title.startswith("New work-plan item: Support the delegation") for title in titles)
    assert (await client.get("/api/v1/inbox/unread-count", headers=as_anna)).json() == {"unread": 2}

    first = listed.json()[0]["id"]
    assert (await client.post(f"/api/v1/inbox/{first}/read", headers=as_anna)).status_code == 204
    assert (await client.get("/api/v1/inbox/unread-count", headers=as_anna)).json() == {"unread": 1}
    unread = await client.get("/api/v1/inbox?unread_only=true", headers=as_anna)
    assert [n["id"] for n in unread.json()] != [first]

    as_boris = bearer_for(notifier_settings, boris["id"])
    stolen = await client.post(f"/api/v1/inbox/{first}/read", headers=as_boris)
    assert stolen.status_code == 404
    boris_titles = [
        n["title"] for n in (await client.get("/api/v1/inbox", headers=as_boris)).json()
    ]
    assert any(title.startswith("Назначено слушание") for title in boris_titles)
    marked = await client.post("/api/v1/inbox/read-all", headers=as_boris)
    assert marked.json() == {"marked": 2}
    assert (await client.get("/api/v1/inbox/unread-count", headers=as_anna)).json() == {"unread": 1}


def bearer_for(settings: Any, recipient_id: str) -> dict[str, str]:
    from shared.auth.tokens import mint_token  # noqa: PLC0415

    token = mint_token(settings, subject=recipient_id, scopes=["notifier:read"])
    return {"Authorization": f"Bearer {token}"}


async def test_a_stale_event_of_a_hearing_notifies_nobody(
    client, admin, notifier, publisher, events_topology, smtp_server
):
    recipient = await add_recipient(client, admin)
    await subscribe(client, admin, recipient["id"])
    hearing = Hearing()
    scheduled = hearing.scheduled()
    moved = hearing.rescheduled("2026-03-20T11:00:00+04:00", "2026-03-20T12:00:00+04:00")
    await publish(publisher, events_topology, moved)
    await settled(notifier, 1)
    await publish(publisher, events_topology, scheduled)  # arrives late: older sequence
    await asyncio.sleep(0.5)
    assert len(await deliveries_of(notifier)) == 1
    assert smtp_server.messages[0].message["Subject"].startswith("Hearing rescheduled")


async def test_admin_routes_need_the_admin_scope(client, notifier, notifier_settings):
    assert (await client.get("/api/v1/recipients")).status_code == 401
    reader = bearer(notifier_settings, "notifier:read")
    assert (await client.get("/api/v1/recipients", headers=reader)).status_code == 403
    assert (await client.get("/api/v1/inbox", headers=reader)).status_code == 403  # sub "test"
    planner = bearer(notifier_settings, "planner:write")
    assert (await client.get("/api/v1/deliveries", headers=planner)).status_code == 403


async def test_unsubscribe_refuses_a_token_with_non_ascii_characters(client, notifier):
    for token in ("s.x.%C3%A9", "s.0123456789abcdef0123456789abcdef.%C3%A9%C3%A9"):
        for method in ("GET", "POST"):
            refused = await client.request(method, f"/unsubscribe?token={token}")
            assert refused.status_code == 422, refused.text
            assert refused.json()["detail"] == "the unsubscribe token is malformed"
