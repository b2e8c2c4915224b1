"""Archive ingest throughput: a burst of N events on the queue → archived by the real consumer.

Usage: ``python -m bench.archive_ingest [--events 100000]``. Uses a fresh database and a
fresh broker prefix on the configured (WORKPLAN_*) servers and removes both. Publishes
the burst first (persistent, confirms pipelined), then starts the archive's consumer
(``ArchiveConsumer``: intake, batches, one transaction per batch, acks after commit) and
measures events/s from the first commit to the last.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import aio_pika
import asyncpg
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from migrations.runner import upgrade
from services.archive.bootstrap import BINDING, Archive, bootstrap
from services.archive.entrypoints.consumers import ArchiveConsumer
from services.archive.settings import ArchiveSettings
from shared.contract import CloudEvent, new_event
from shared.contract.amqp_binding import STRUCTURED_CONTENT_TYPE, encode_structured
from shared.contract.hearings import HearingRescheduled, HearingScheduled
from shared.contract.items import ItemCreated
from shared.contract.meetings import MeetingHeld
from shared.messaging.broker_api import AmqpAccount
from shared.messaging.topology import declare_with
from shared.settings import PLANNER_SOURCE

START = datetime(2026, 2, 1, tzinfo=UTC)


def burst(count: int) -> list[CloudEvent]:
    """Items, their hearings (scheduled, rescheduled) and meetings, ~1 KB each."""
    events: list[CloudEvent] = []
    index = 0
    while len(events) < count:
        item_id, hearing_id = uuid.uuid4(), uuid.uuid4()
        at = START + timedelta(minutes=index)
        common: dict[str, Any] = {
            "committee": "MM-IRIPT",
            "session": "2026-spring",
            "classification": "public",
        }
        events.append(
            new_event(
                ItemCreated(
                    item_id=item_id,
                    ref=f"bench-{index}",
                    title={
                        "az": "Parlamentlərarası əməkdaşlığın dərinləşdirilməsi, Xocalı",
                        "en": "Deepen inter-parliamentary cooperation with PACE",
                        "ru": "Углубление межпарламентского сотрудничества и встречи",
                    },
                    description={"en": "Benchmark item with meetings and hearings " * 4},
                    category="cooperation",
                    organizations=["PACE", "OSCE-PA"],
                    status="planned",
                    **common,
                ),
                source=PLANNER_SOURCE,
                sequence=1,
                time=at,
            )
        )
        hearing: dict[str, Any] = {
            "hearing_id": hearing_id,
            "item_id": item_id,
            "title": {"en": "Hearing on cooperation", "az": "Əməkdaşlıq üzrə dinləmə"},
            "starts_at": at + timedelta(days=10),
            "ends_at": at + timedelta(days=10, hours=2),
            "timezone": "Asia/Baku",
            "location": "Hall 2",
            "organizations": ["PACE"],
            **common,
        }
        events.append(
            new_event(
                HearingScheduled(**hearing, status="scheduled"),
                source=PLANNER_SOURCE,
                sequence=1,
                time=at + timedelta(seconds=1),
            )
        )
        events.append(
            new_event(
                HearingRescheduled(
                    **{
                        **hearing,
                        "starts_at": at + timedelta(days=12),
                        "ends_at": at + timedelta(days=12, hours=2),
                    },
                    status="rescheduled",
                    previous_starts_at=at + timedelta(days=10),
                    previous_ends_at=at + timedelta(days=10, hours=2),
                    reason="Rapporteur abroad",
                ),
                source=PLANNER_SOURCE,
                sequence=2,
                time=at + timedelta(seconds=2),
            )
        )
        events.append(
            new_event(
                MeetingHeld(
                    meeting_id=f"bench-{index}",
                    organizations=["MFA"],
                    item_id=item_id,
                    held_at=at + timedelta(days=3),
                    title={"en": "Briefing by the Ministry of Foreign Affairs"},
                    summary={"az": "Görüş İstanbul və Bakı haqqında", "ru": "Встреча в МИД"},
                    **common,
                ),
                source=PLANNER_SOURCE,
                sequence=1,
                time=at + timedelta(seconds=3),
            )
        )
        index += 1
    return events[:count]


def structured_message(event: CloudEvent, user: str) -> aio_pika.Message:
    """The event as the planner's relay sends it: structured, persistent, with the
    ``user_id`` of its source's broker user."""
    return aio_pika.Message(
        encode_structured(event),
        content_type=STRUCTURED_CONTENT_TYPE,
        message_id=event.id,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        user_id=user,
    )


async def publish_burst(url: str, exchange_name: str, events: list[CloudEvent]) -> float:
    user = AmqpAccount.of(url).user
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(exchange_name)
        started = time.perf_counter()
        window = 512
        for offset in range(0, len(events), window):
            await asyncio.gather(
                *(
                    exchange.publish(structured_message(event, user), routing_key=event.type)
                    for event in events[offset : offset + window]
                )
            )
        return time.perf_counter() - started


class _GcTimer:
    """Time spent in the garbage collector (a ``gc.callbacks`` entry)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.full = 0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.full += info["generation"] == 2


async def scratch_archive() -> tuple[ArchiveSettings, str, str]:
    """A database of the bench's own, migrated for the archive, and settings that use it
    with a broker prefix of the bench's own; with the server's admin URL and the database's
    name, to drop it afterwards."""
    base = ArchiveSettings()
    run = uuid.uuid4().hex[:8]
    server = make_url(base.database_url.get_secret_value())
    admin = server.set(drivername="postgresql", database="postgres").render_as_string(False)
    name = f"workplan_bench_{run}"
    connection = await asyncpg.connect(admin)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
    url = server.set(database=name).render_as_string(hide_password=False)
    upgrade(url, ("archive",))
    settings = ArchiveSettings(database_url=SecretStr(url), broker_prefix=f"bench-{run}")
    return settings, admin, name


async def drop_scratch_archive(archive: Archive, amqp: str, admin: str, name: str) -> None:
    """Close the archive's connections; remove its queues, exchanges and database."""
    await archive.publisher.close()
    await archive.engine.dispose()
    connection = await aio_pika.connect(amqp)
    async with connection:
        channel = await connection.channel()
        for queue in archive.topology.declared_queues("archive"):
            await channel.queue_delete(queue)
        for exchange in archive.topology.declared_exchanges("archive"):
            await channel.exchange_delete(exchange)
        await channel.exchange_delete(archive.topology.events_exchange)
        await channel.exchange_delete(archive.topology.dead_letter_exchange)
    connection = await asyncpg.connect(admin)
    await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await connection.close()


async def main(count: int, profile: str | None = None) -> None:
    settings, admin, name = await scratch_archive()
    url = settings.database_url.get_secret_value()
    archive = bootstrap(settings)
    amqp = settings.amqp_url.get_secret_value()
    try:
        await declare_with(amqp, archive.topology, BINDING)
        events = burst(count)
        published = await publish_burst(amqp, archive.topology.events_exchange, events)
        print(f"published {count:,} events in {published:.1f} s ({count / published:,.0f}/s)")

        await archive.publisher.connect()
        consumer = ArchiveConsumer(archive)
        stop = asyncio.Event()
        profiler = cProfile.Profile() if profile else None
        collector = _GcTimer()
        gc.callbacks.append(collector)
        cpu_before = time.process_time()
        if profiler is not None:
            profiler.enable()
        worker = asyncio.create_task(consumer.run(stop))
        database = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
        first = last = None
        archived = 0
        while archived < count:
            await asyncio.sleep(0.05)
            archived = await database.fetchval("SELECT count(*) FROM archive.inbox")
            if archived and first is None:
                first = time.perf_counter()
        last = time.perf_counter()
        cpu = time.process_time() - cpu_before
        gc.callbacks.remove(collector)
        if profiler is not None:
            profiler.disable()
        stop.set()
        await worker
        assert first is not None
        span = await database.fetchval(
            "SELECT extract(epoch FROM max(received_at) - min(received_at)) FROM archive.inbox"
        )
        stored = await database.fetchval("SELECT count(*) FROM archive.events")
        read_models = await database.fetchrow(
            "SELECT (SELECT count(*) FROM archive.items) AS items, "
            "(SELECT count(*) FROM archive.hearings) AS hearings, "
            "(SELECT count(*) FROM archive.meetings) AS meetings"
        )
        await database.close()
        print(f"archived {stored:,} events; read models: {dict(read_models)}")
        print(f"consumer process CPU: {cpu / count * 1e6:.0f} µs per event")
        print(
            f"  of which garbage collection: {collector.seconds / count * 1e6:.0f} µs per event "
            f"({collector.full} full collections)"
        )
        print(f"ingest, first to last commit (polled): {count / (last - first):,.0f} events/s")
        print(f"ingest, first to last commit (database clock): {count / float(span):,.0f} events/s")
        if profiler is not None and profile:
            profiler.dump_stats(profile)
            print(f"profile of the consume phase (cProfile, slows it down): {profile}")
    finally:
        await drop_scratch_archive(archive, amqp, admin, name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="write cProfile stats of the consume phase to FILE (the figures are then slower)",
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.events, arguments.profile))
