"""Archive ingest when events trickle in: CPU per event and latency at a paced rate.

Usage: ``python -m bench.archive_trickle [--rate 200] [--seconds 10]``. A fresh database
and broker prefix on the configured (WORKPLAN_*) servers, both removed afterwards. The
archive's consumer (``ArchiveConsumer``, on uvloop as in the service) runs on the main
thread; a publisher in a process of its own publishes the events of
:func:`bench.archive_ingest.burst` at the given rate (persistent, with confirms, one by
one as a relay does). Reports the CPU the consumer's thread used per event, the batches
and their write times, garbage collections, and publish → archived latency (the log's
``received_at`` against the time of publishing), p50/p95/p99.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import multiprocessing
import statistics
import time
from collections.abc import Sequence
from datetime import UTC, datetime

import aio_pika
import asyncpg
import uvloop

from bench.archive_ingest import (
    burst,
    drop_scratch_archive,
    scratch_archive,
    structured_message,
)
from services.archive.bootstrap import BINDING, bootstrap
from services.archive.domain.projections import Projection
from services.archive.domain.records import ArchivedEvent
from services.archive.entrypoints.consumers import ArchiveConsumer
from shared.contract import CloudEvent
from shared.messaging.broker_api import AmqpAccount
from shared.messaging.topology import declare_with


def publish_paced(url: str, exchange_name: str, events: list[CloudEvent], rate: float) -> None:
    """Publish each event at its slot (``index / rate`` after the start)."""

    user = AmqpAccount.of(url).user

    async def run() -> None:
        connection = await aio_pika.connect(url)
        async with connection:
            channel = await connection.channel(publisher_confirms=True)
            exchange = await channel.get_exchange(exchange_name)
            began = time.monotonic()
            for index, event in enumerate(events):
                delay = began + index / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                stamped = event.model_copy(update={"time": datetime.now(UTC)})
                await exchange.publish(structured_message(stamped, user), routing_key=event.type)

    asyncio.run(run())


async def _archived(database: asyncpg.Connection, count: int) -> None:
    archived = 0
    while archived < count:
        await asyncio.sleep(0.05)
        archived = await database.fetchval("SELECT count(*) FROM archive.inbox")


async def main(rate: float, seconds: float) -> None:
    settings, admin, name = await scratch_archive()
    url = settings.database_url.get_secret_value()
    archive = bootstrap(settings)
    amqp = settings.amqp_url.get_secret_value()
    count = int(rate * seconds)
    try:
        await declare_with(amqp, archive.topology, BINDING)
        await archive.publisher.connect()
        consumer = ArchiveConsumer(archive)
        durations: list[float] = []
        original = archive.writer.append

        async def timed(
            records: Sequence[ArchivedEvent], projections: Sequence[Projection]
        ) -> set[tuple[str, str]]:
            began = time.perf_counter()
            try:
                return await original(records, projections)
            finally:
                durations.append((time.perf_counter() - began) * 1000)

        archive.writer.append = timed  # type: ignore[method-assign]
        stop = asyncio.Event()
        worker = asyncio.create_task(consumer.run(stop))
        database = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
        warm = burst(200)
        await asyncio.to_thread(publish_paced, amqp, archive.topology.events_exchange, warm, rate)
        await _archived(database, len(warm))
        events = burst(count)
        durations.clear()
        collections_before = [generation["collections"] for generation in gc.get_stats()]
        cpu_before = time.thread_time()
        publisher = multiprocessing.get_context("spawn").Process(
            target=publish_paced,
            args=(amqp, archive.topology.events_exchange, events, rate),
        )
        publisher.start()
        await _archived(database, count + len(warm))
        cpu = time.thread_time() - cpu_before
        collections = [
            generation["collections"] - before
            for generation, before in zip(gc.get_stats(), collections_before, strict=True)
        ]
        await asyncio.to_thread(publisher.join)
        ids = [event.id for event in events]
        rows = await database.fetch(
            "SELECT extract(epoch FROM received_at - time) * 1000 FROM archive.events "
            "WHERE event_id = ANY($1::text[])",
            ids,
        )
        batches = await database.fetchval(
            "SELECT count(DISTINCT received_at) FROM archive.events "
            "WHERE event_id = ANY($1::text[])",
            ids,
        )
        await database.close()
        latencies = sorted(float(row[0]) for row in rows)

        def at(share: float) -> float:
            return latencies[min(len(latencies) - 1, int(share * len(latencies)))]

        print(f"{count:,} events at {rate:g}/s in {batches:,} batches")
        print(f"consumer thread CPU: {cpu / count * 1e3:.3f} ms per event")
        print(f"garbage collections per generation: {collections}")
        print(
            f"publish → archived ms: p50 {at(0.5):.1f}, p95 {at(0.95):.1f}, "
            f"p99 {at(0.99):.1f}, max {latencies[-1]:.1f}, mean {statistics.fmean(latencies):.1f}"
        )
        durations.sort()
        print(
            f"batch write ms: p50 {durations[len(durations) // 2]:.1f}, "
            f"p99 {durations[int(len(durations) * 0.99)]:.1f}, max {durations[-1]:.1f}"
        )
        stop.set()
        await worker
    finally:
        await drop_scratch_archive(archive, amqp, admin, name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    arguments = parser.parse_args()
    uvloop.run(main(arguments.rate, arguments.seconds))
