"""The three defects the pipeline benchmark found, each against the real servers.

- A database restart while e-mails go out sends none of them twice (each send's outcome
  is recorded as soon as it is known, and that write outlasts the restart).
- A backlog far larger than the connection pool is worked through without running out of
  connections, nacking or redelivering, while ``/readyz`` keeps answering at once.
- With one consumer, the events of each subject are applied in the order they were
  published: no event is skipped as stale.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from migrations.runner import upgrade
from services.notifier.settings import NotifierSettings
from tests.notifier.conftest import client_of, running
from tests.notifier.scenario import Hearing, add_recipient, publish, subscribe
from tests.support import bearer, eventually
from workplan.local_run.postgres_server import OwnPostgres


@pytest.fixture
async def own_postgres() -> AsyncIterator[OwnPostgres]:
    """A PostgreSQL of this test's own, with the notifier's schema; removed afterwards."""
    server = OwnPostgres()
    try:
        await asyncio.to_thread(server.start)
        await asyncio.to_thread(upgrade, server.url, ("notifier",))
        yield server
    finally:
        await asyncio.to_thread(server.remove)


async def _count(url: str, query: str) -> int:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(text(query))).scalar_one())
    finally:
        await engine.dispose()


async def test_a_database_restart_while_sending_sends_no_email_twice(
    notifier_settings, own_postgres, smtp_server, publisher, events_topology
):
    smtp_server.reset()
    smtp_server.handler.delay = 0.05  # sending takes seconds: the restart lands in it
    settings = notifier_settings.model_copy(
        update={
            "database_url": SecretStr(own_postgres.url),
            "delivery_lease_seconds": 8.0,
            "smtp_connections": 2,
        }
    )
    admin = bearer(settings, "notifier:admin")
    hearings = [Hearing() for _ in range(200)]
    async with running(settings) as application, client_of(application) as client:
        recipient = await add_recipient(client, admin)
        await subscribe(client, admin, recipient["id"], channel="email")
        for hearing in hearings:
            await publish(publisher, events_topology, hearing.scheduled())

        async def some_sent() -> bool:
            return len(smtp_server.messages) >= 20

        await eventually(some_sent, timeout=60)
        # connections cut mid-send; sends finish while the database is down
        await asyncio.to_thread(own_postgres.restart, 3.0)

        async def all_sent() -> bool:
            sent = await _count(
                own_postgres.url,
                "SELECT count(*) FROM notifier.deliveries WHERE status = 'sent'",
            )
            return sent == len(hearings)

        await eventually(all_sent, timeout=120, interval=0.5)
        # a send recorded too late would come again once its lease runs out: wait past it
        await asyncio.sleep(settings.delivery_lease_seconds + 2)
    ids = Counter(mail.message["Message-ID"] for mail in smtp_server.messages)
    twice = {message_id: n for message_id, n in ids.items() if n > 1}
    assert twice == {}
    assert len(ids) == len(hearings)


async def test_a_backlog_larger_than_the_pool_keeps_within_it_and_readiness_answers(
    notifier_settings: NotifierSettings, notifier, smtp_server, publisher, events_topology, caplog
):
    settings = notifier_settings.model_copy(update={"prefetch": 64, "database_pool_size": 1})
    admin = bearer(settings, "notifier:admin")
    hearings = [Hearing() for _ in range(600)]
    caplog.set_level(logging.WARNING)
    async with running(settings) as application, client_of(application) as client:
        recipient = await add_recipient(client, admin)
        await subscribe(client, admin, recipient["id"], channel="inbox")
        await subscribe(client, admin, recipient["id"], channel="email")
        for hearing in hearings:
            await publish(publisher, events_topology, hearing.scheduled())
        engine = application.state.notifier.engine
        slowest, most_connections, not_ready = 0.0, 0, []

        async def worked_through() -> bool:
            nonlocal slowest, most_connections
            began = time.monotonic()
            ready = await client.get("/readyz")
            slowest = max(slowest, time.monotonic() - began)
            most_connections = max(most_connections, engine.pool.checkedout())
            if ready.status_code != 200:
                not_ready.append(ready.text)
            done = await _count(
                settings.database_url.get_secret_value(), "SELECT count(*) FROM notifier.inbox"
            )
            return done >= len(hearings)

        await eventually(worked_through, timeout=120, interval=0.1)
        # all of them notified once, nothing redelivered or dead-lettered
        notices = await _count(
            settings.database_url.get_secret_value(), "SELECT count(*) FROM notifier.notifications"
        )
    assert notices == len(hearings)
    assert most_connections <= 2 * settings.database_pool_size
    assert slowest < 1.0, f"/readyz took {slowest:.1f} s"
    assert not_ready[1:] == []  # at most the first probe, before the consumer attached
    problems = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert not [p for p in problems if "QueuePool" in p or "goes back to the queue" in p]


async def test_one_consumer_applies_the_events_of_each_subject_in_order(
    notifier_settings: NotifierSettings, notifier, publisher, events_topology
):
    admin = bearer(notifier_settings, "notifier:admin")
    hearings = [Hearing() for _ in range(60)]
    async with running(notifier_settings) as application, client_of(application) as client:
        recipient = await add_recipient(client, admin)
        await subscribe(client, admin, recipient["id"], channel="inbox")
        for hearing in hearings:  # each hearing's life back to back, all hearings interleaved
            await publish(publisher, events_topology, hearing.scheduled())
        for hearing in hearings:
            await publish(
                publisher,
                events_topology,
                hearing.rescheduled("2026-03-13T11:00:00+04:00", "2026-03-13T13:00:00+04:00"),
            )
            await publish(publisher, events_topology, hearing.cancelled())

        async def all_handled() -> bool:
            handled = await _count(
                notifier_settings.database_url.get_secret_value(),
                "SELECT count(*) FROM notifier.inbox",
            )
            return handled >= 3 * len(hearings)

        await eventually(all_handled, timeout=60)
        async with application.state.notifier.engine.connect() as connection:
            kinds = (
                await connection.execute(
                    text("SELECT subject, event_type FROM notifier.notifications ORDER BY id")
                )
            ).all()
    per_hearing = Counter(subject for subject, _ in kinds)
    assert len(per_hearing) == len(hearings)
    assert set(per_hearing.values()) == {3}  # scheduled, rescheduled, cancelled: none stale


async def test_two_consumers_never_notify_an_older_version_after_a_newer_one(
    notifier_settings: NotifierSettings, notifier, publisher, events_topology
):
    admin = bearer(notifier_settings, "notifier:admin")
    hearings = [Hearing() for _ in range(60)]
    order = {"scheduled": 1, "rescheduled": 2, "cancelled": 3}
    async with (
        running(notifier_settings) as first,
        running(notifier_settings),  # a second notifier process, competing on the queue
        client_of(first) as client,
    ):
        recipient = await add_recipient(client, admin)
        await subscribe(client, admin, recipient["id"], channel="inbox")
        for hearing in hearings:
            await publish(publisher, events_topology, hearing.scheduled())
            await publish(
                publisher,
                events_topology,
                hearing.rescheduled("2026-03-13T11:00:00+04:00", "2026-03-13T13:00:00+04:00"),
            )
            await publish(publisher, events_topology, hearing.cancelled())

        async def all_handled() -> bool:
            handled = await _count(
                notifier_settings.database_url.get_secret_value(),
                "SELECT count(*) FROM notifier.inbox",
            )
            return handled >= 3 * len(hearings)

        await eventually(all_handled, timeout=90)
        async with first.state.notifier.engine.connect() as connection:
            rows = (
                await connection.execute(
                    text(
                        "SELECT subject, event_type FROM notifier.notifications "
                        "ORDER BY created_at, id"
                    )
                )
            ).all()
    told: dict[str, list[int]] = {}
    for subject, event_type in rows:
        told.setdefault(subject, []).append(order[event_type.split(".")[2]])
    assert len(told) == len(hearings)
    for versions in told.values():
        assert versions == sorted(set(versions))  # never an older one after a newer one
        assert versions[-1] == 3  # the newest is always told
