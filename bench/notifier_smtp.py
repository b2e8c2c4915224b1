"""Notifier e-mail throughput: N queued e-mail deliveries (text + HTML + iCalendar invitation)
sent by the real delivery worker to a local SMTP server (aiosmtpd, in its own process).

Usage: ``python -m bench.notifier_smtp [--deliveries 5000] [--connections 1 4] [--workers 2]``.
Uses a fresh database on the configured (WORKPLAN_*) PostgreSQL and removes it. Prints
notifications sent per second, from the first claim to the last delivery marked sent, for
each number of concurrent SMTP connections.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import time
import uuid
from datetime import UTC, datetime, timedelta
from multiprocessing.sharedctypes import Synchronized

import asyncpg
from pydantic import SecretStr
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

from migrations.runner import upgrade
from services.notifier.adapters.orm import deliveries, delivery_attempts, recipients
from services.notifier.bootstrap import Notifier, bootstrap
from services.notifier.domain.messages import calendar_invite, describe, link_of
from services.notifier.domain.notices import notice_of
from services.notifier.domain.recipients import Recipient
from services.notifier.entrypoints.workers import DeliveryWorker
from services.notifier.settings import NotifierSettings
from shared.contract import new_event
from shared.contract.hearings import HearingScheduled


def serve_smtp(port: int, received: Synchronized[int], ready: multiprocessing.Event) -> None:  # type: ignore[valid-type]
    """The SMTP server process: accepts and counts every message."""
    from aiosmtpd.controller import Controller  # noqa: PLC0415

    class Counting:
        async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
            with received.get_lock():
                received.value += 1
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()  # type: ignore[attr-defined]
    while True:
        time.sleep(3600)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def hearing_event(index: int):
    starts = datetime(2026, 3, 2, 7, 0, tzinfo=UTC) + timedelta(hours=index % 500)
    data = HearingScheduled(
        hearing_id=uuid.uuid4(),
        item_id=uuid.uuid4(),
        committee="MM-IRIPT",
        session="2026-spring",
        classification="public",
        title={
            "az": "Xocalıya ədalət kampaniyası üzrə dinləmə",
            "en": "Hearing on the Justice for Khojaly campaign",
        },
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        timezone="Asia/Baku",
        location="Milli Məclis, Hall 2",
        organizations=["OSCE-PA", "PACE"],
        status="scheduled",
    )
    return new_event(data, source="urn:workplan:planner", sequence=1)


async def queue_deliveries(notifier: Notifier, count: int) -> int:
    """Queue ``count`` e-mails rendered by the real renderer; returns their average size."""
    recipient = Recipient(name="Leyla Həsənova", email="leyla@example.gov.az", language="az")
    async with notifier.engine.begin() as connection:
        await connection.execute(
            insert(recipients).values(
                id=recipient.id,
                name=recipient.name,
                email=recipient.email,
                language=recipient.language,
                timezone=recipient.timezone,
            )
        )
    renderer, settings, total = notifier.renderer, notifier.notice_settings, 0
    for start in range(0, count, 500):
        rows = []
        for index in range(start, min(start + 500, count)):
            event = hearing_event(index)
            notice = notice_of(event, HearingScheduled.model_validate(event.data))
            text_ = describe(notice, recipient, link_of(notice, settings.links_base_url))
            delivery_id = uuid.uuid4()
            message_id = renderer.message_id(delivery_id)
            invite = calendar_invite(
                notice, text_, recipient, organizer=(settings.organizer_email, "Workplan")
            )
            content = renderer.email(
                text_,
                recipient,
                message_id=message_id,
                unsubscribe=("subscription", uuid.uuid4()),
                mandatory=False,
                invite=invite,
            )
            total += len(content)
            rows.append(
                {
                    "id": delivery_id,
                    "event_source": event.source,
                    "event_id": event.id,
                    "event_type": event.type,
                    "subject": event.subject,
                    "recipient_id": recipient.id,
                    "channel": "email",
                    "target": recipient.email,
                    "message_id": message_id,
                    "content": content,
                    "restricted": False,
                    "status": "queued",
                    "next_attempt_at": datetime.now(UTC) + timedelta(days=1),  # not due yet
                }
            )
        async with notifier.engine.begin() as connection:
            await connection.execute(insert(deliveries), rows)
            await connection.execute(
                insert(delivery_attempts),
                [{"delivery_id": r["id"], "attempt": 0, "status": "queued"} for r in rows],
            )
    return total // count


async def measure(settings: NotifierSettings, count: int, received: Synchronized[int]) -> float:
    notifier = bootstrap(settings)
    async with notifier.engine.begin() as connection:  # make them all due at once
        await connection.execute(text("UPDATE notifier.deliveries SET next_attempt_at = now()"))
    before = received.value
    stop = asyncio.Event()
    started = time.perf_counter()
    worker = asyncio.create_task(DeliveryWorker(notifier).run(stop))
    while True:
        async with notifier.engine.connect() as connection:
            left = await connection.scalar(
                text("SELECT count(*) FROM notifier.deliveries WHERE status <> 'sent'")
            )
        if left == 0:
            break
        if worker.done():
            worker.result()
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - started
    stop.set()
    await worker
    sent = received.value - before
    if sent != count:
        raise SystemExit(f"the SMTP server received {sent} messages, expected {count}")
    async with notifier.engine.begin() as connection:  # again queued for the next run
        await connection.execute(
            text("UPDATE notifier.deliveries SET status = 'queued', attempts = 0, sent_at = NULL")
        )
    await notifier.engine.dispose()
    return count / elapsed


async def main(count: int, connections: list[int], workers: int, batch: int) -> None:
    base = NotifierSettings()
    server = make_url(base.database_url.get_secret_value())
    admin = server.set(drivername="postgresql", database="postgres").render_as_string(False)
    name = f"workplan_bench_notifier_{uuid.uuid4().hex[:8]}"
    connection = await asyncpg.connect(admin)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
    url = server.set(database=name).render_as_string(hide_password=False)
    port = free_port()
    received: Synchronized[int] = multiprocessing.Value("i", 0)
    ready = multiprocessing.Event()
    smtp = multiprocessing.Process(target=serve_smtp, args=(port, received, ready), daemon=True)
    smtp.start()
    ready.wait(10)
    try:
        upgrade(url, ("notifier",))
        settings = base.model_copy(
            update={
                "database_url": SecretStr(url),
                "smtp_port": port,
                "delivery_workers": workers,
                "delivery_batch_size": batch,
                "delivery_poll_interval": 0.05,
            }
        )
        size = await queue_deliveries(bootstrap(settings), count)
        print(f"{count} e-mail deliveries queued (~{size / 1024:.1f} KiB each, with iCalendar)")
        for smtp_connections in connections:
            rate = await measure(
                settings.model_copy(update={"smtp_connections": smtp_connections}),
                count,
                received,
            )
            print(
                f"{smtp_connections} SMTP connection(s), {workers} delivery loop(s), "
                f"batch {batch}: {rate:,.0f} notifications/s"
            )
    finally:
        smtp.terminate()
        connection = await asyncpg.connect(admin)
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deliveries", type=int, default=5000)
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=100)
    arguments = parser.parse_args()
    asyncio.run(
        main(arguments.deliveries, arguments.connections, arguments.workers, arguments.batch)
    )
