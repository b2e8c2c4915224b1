"""The daily digest: one e-mail per recipient and day with everything gathered for it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import text

from services.notifier.bootstrap import Notifier
from services.notifier.domain.errors import RuleViolation
from services.notifier.handlers.digests import compose_digests
from tests.notifier.scenario import (
    Hearing,
    add_recipient,
    item_created,
    publish,
    settled,
    subscribe,
)
from tests.support import eventually

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def pending_entries(notifier: Notifier) -> int:
    async with notifier.engine.connect() as connection:
        return int(
            await connection.scalar(
                text(
                    "SELECT count(*) FROM notifier.digest_entries WHERE digest_delivery_id IS NULL"
                )
            )
        )


async def test_digest_subscribers_get_one_email_a_day_with_every_notice(
    client, admin, notifier, publisher, events_topology, smtp_server
):
    daily = await add_recipient(
        client, admin, language="ru", timezone="Europe/Moscow", cleared=True
    )
    await subscribe(client, admin, daily["id"], mode="digest")
    await publish(publisher, events_topology, Hearing().scheduled())
    await publish(publisher, events_topology, item_created())
    await publish(
        publisher,
        events_topology,
        item_created(classification="restricted", title={"en": "Hidden matter"}),
    )
    await eventually(lambda: _equals(pending_entries(notifier), 3))
    await asyncio.sleep(0.3)
    assert smtp_server.messages == []  # nothing goes out before the digest

    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date()
    made = await client.post(f"/api/v1/digests?day={tomorrow.isoformat()}", headers=admin)
    assert made.json() == {"digests": 1}
    [delivery] = await settled(notifier, 1)
    assert delivery["status"] == "sent"
    [mail] = smtp_server.messages
    message = mail.message
    assert message["Subject"].startswith("Ежедневная сводка Workplan")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Назначено слушание: Слушание по кампании" in body
    assert "Новый пункт плана работы: Support the delegation to PACE" in body
    assert "Hidden matter" not in mail.data.decode(errors="replace")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert await pending_entries(notifier) == 0

    again = await client.post(f"/api/v1/digests?day={tomorrow.isoformat()}", headers=admin)
    assert again.json() == {"digests": 0}

    # One-click from the digest mutes the recipient's digests.
    path = message["List-Unsubscribe"].strip("<>").removeprefix("https://notifier.workplan.test")
    assert (await client.post(path)).status_code == 200
    await publish(publisher, events_topology, item_created())
    await asyncio.sleep(0.5)
    assert await pending_entries(notifier) == 0


async def test_the_digest_worker_waits_for_each_recipients_local_hour(
    client, admin, notifier, publisher, events_topology
):
    baku = await add_recipient(client, admin, timezone="Asia/Baku")
    await subscribe(client, admin, baku["id"], mode="digest")
    await publish(publisher, events_topology, item_created())
    await eventually(lambda: _equals(pending_entries(notifier), 1))

    hour = notifier.settings.digest_hour  # 8, local time; Baku is UTC+4
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    early = datetime.combine(tomorrow, time(hour - 5), UTC)  # 07:00 in Baku
    late = datetime.combine(tomorrow, time(hour - 3), UTC)  # 09:00 in Baku
    assert await compose_digests(notifier.uow, notifier.renderer, hour=hour, now=early) == 0
    assert await compose_digests(notifier.uow, notifier.renderer, hour=hour, now=late) == 1
    assert await compose_digests(notifier.uow, notifier.renderer, hour=hour, now=late) == 0


async def _equals(value: Awaitable[int], expected: int) -> bool:
    return (await value) == expected


async def test_a_digest_day_outside_the_planned_years_is_refused_naming_the_day(
    client, admin, notifier, publisher, events_topology
):
    tokyo = await add_recipient(client, admin, timezone="Asia/Tokyo")
    await subscribe(client, admin, tokyo["id"], mode="digest")
    await publish(publisher, events_topology, item_created())
    await eventually(lambda: _equals(pending_entries(notifier), 1))

    for day in ("0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31"):
        refused = await client.post(f"/api/v1/digests?day={day}", headers=admin)
        assert refused.status_code == 422, refused.text
        [error] = refused.json()["detail"]
        assert error["loc"] == ["query", "day"]
        assert f"the digest day {day} must lie between the years 1900 and 2200" in error["msg"]
    with pytest.raises(RuleViolation, match="between the years 1900 and 2200"):
        await compose_digests(notifier.uow, notifier.renderer, hour=8, day=date.min, now=NOW)
    assert await pending_entries(notifier) == 1

    first = await client.post("/api/v1/digests?day=1900-01-01", headers=admin)
    assert first.json() == {"digests": 0}  # the entry arrived long after that day's digest
    last = await client.post("/api/v1/digests?day=2200-12-31", headers=admin)
    assert last.json() == {"digests": 1}
    assert await pending_entries(notifier) == 0
