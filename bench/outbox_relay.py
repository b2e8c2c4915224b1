"""Outbox relay throughput: N committed events → confirmed on a durable queue.

Usage: ``python -m bench.outbox_relay [--events 20000] [--relays 1]``. Uses a fresh
database and broker prefix on the configured (WORKPLAN_*) servers and removes them.
Prints events/s for the relay (claim → publish with confirms → mark) and the commit →
confirm lag percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid

import aio_pika
import asyncpg
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.engine import make_url

from migrations.runner import upgrade
from services.planner.adapters.tables import outbox
from services.planner.bootstrap import bootstrap
from services.planner.settings import PlannerSettings
from shared.contract import new_event
from shared.contract.items import ItemCreated
from shared.db.engine import create_engine
from shared.db.outbox import OutboxWriter
from shared.messaging.outbox_relay import OutboxRelay
from shared.messaging.publisher import ConfirmingPublisher

QUEUE_TYPE = "quorum"


def item_event(index: int):  # ~1 KB, like a real item.created
    data = ItemCreated(
        item_id=uuid.uuid4(),
        committee="MM-IRIPT",
        session="2026-spring",
        ref=f"bench-{index}",
        title={
            "az": "Parlamentlərarası əməkdaşlığın dərinləşdirilməsi " * 2,
            "en": "Deepen inter-parliamentary cooperation " * 2,
            "ru": "Углубление межпарламентского сотрудничества " * 2,
        },
        description={"en": "Benchmark item " * 20},
        category="cooperation",
        organizations=["PACE", "OSCE-PA"],
        status="planned",
        classification="public",
    )
    return new_event(data, source="urn:workplan:planner", sequence=1)


async def main(events: int, relays: int, batch: int) -> None:
    base = PlannerSettings()
    run = uuid.uuid4().hex[:8]
    server = make_url(base.database_url.get_secret_value())
    admin = server.set(drivername="postgresql", database="postgres").render_as_string(False)
    name = f"workplan_bench_{run}"
    connection = await asyncpg.connect(admin)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
    url = server.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    settings = PlannerSettings(
        database_url=SecretStr(url), broker_prefix=f"bench-{run}", relay_batch_size=batch
    )
    planner = bootstrap(settings)
    engine = create_engine(url, application_name="bench")
    amqp = settings.amqp_url.get_secret_value()
    broker = await aio_pika.connect(amqp)
    try:
        channel = await broker.channel()
        exchange = await channel.declare_exchange(
            planner.topology.events_exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(
            f"bench-{run}.sink", durable=True, arguments={"x-queue-type": QUEUE_TYPE}
        )
        await queue.bind(exchange, "#")

        writer = OutboxWriter(outbox)
        started = time.perf_counter()
        for offset in range(0, events, 1000):
            async with engine.begin() as connection:
                await writer.add(connection, [item_event(i) for i in range(offset, offset + 1000)])
        written = time.perf_counter() - started

        publishers = [ConfirmingPublisher(amqp, app_id="bench") for _ in range(relays)]
        for publisher in publishers:
            await publisher.connect()
        workers = [
            OutboxRelay(
                database=planner.database,
                schema="planner",
                publisher=publisher,
                exchange=planner.topology.events_exchange,
                service="bench",
                batch_size=batch,
            )
            for publisher in publishers
        ]

        async def drain(relay: OutboxRelay) -> None:
            result = await relay.run_once()
            while result.claimed:
                result = await relay.run_once()

        started = time.perf_counter()
        await asyncio.gather(*(drain(relay) for relay in workers))
        relayed = time.perf_counter() - started
        async with engine.connect() as db:
            lags = [
                row[0]
                for row in await db.execute(
                    text(
                        "SELECT extract(epoch FROM published_at - created_at) "
                        "FROM planner.outbox ORDER BY position"
                    )
                )
            ]
            unpublished = await db.scalar(
                text("SELECT count(*) FROM planner.outbox WHERE published_at IS NULL")
            )
        declared = await channel.declare_queue(f"bench-{run}.sink", passive=True)
        on_queue = declared.declaration_result.message_count
        for publisher in publishers:
            await publisher.close()
        await queue.delete(if_unused=False, if_empty=False)
        await exchange.delete()

        print(f"events: {events}  relays: {relays}  batch: {batch}")
        print(f"write to outbox (1000 per transaction): {events / written:,.0f} events/s")
        print(f"relay (claim → publish with confirms → mark): {events / relayed:,.0f} events/s")
        print(f"on the durable queue: {on_queue}  left unpublished: {unpublished}")
        quantiles = statistics.quantiles([float(lag) for lag in lags], n=100)
        print(
            "commit → confirm lag of a backlog (s): "
            f"p50 {quantiles[49]:.2f}  p99 {quantiles[98]:.2f}"
        )
    finally:
        await broker.close()
        await planner.close()
        await engine.dispose()
        connection = await asyncpg.connect(admin)
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--relays", type=int, default=1)
    parser.add_argument("--batch", type=int, default=500)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.events, arguments.relays, arguments.batch))
