"""The raw limit of one hop on this machine, measured in the same run as the pipeline.

Persistent ~1 KB messages published with confirms (pipelined) → an aio-pika consumer
(manual acks, one multiple ack per batch) → PostgreSQL, up to 100 rows per transaction
with a primary key on the event id (an inbox). Nothing of the services is involved: this
is what the broker, the database and the client libraries allow, the figure the
pipeline is compared with.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from dataclasses import dataclass
from typing import Any

import aio_pika
import asyncpg

from bench.pipeline.processes import cpu_seconds

BODY_PAD = "x" * 850


@dataclass
class RawResult:
    events: int
    seconds: float
    cpu_ms_per_event: float
    latencies_ms: list[float]

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


class RawHop:
    def __init__(self, amqp_url: str, dsn: str, prefix: str) -> None:
        self._amqp_url = amqp_url
        self._dsn = dsn
        self._queue_name = f"{prefix}.raw"
        self._committed: dict[str, float] = {}
        self._published: dict[str, float] = {}
        self._done = asyncio.Event()
        self._expected = 0

    async def run(self, burst: int, paced: int, rate: float) -> RawResult:
        pool = await asyncpg.create_pool(self._dsn, min_size=2, max_size=4)
        assert pool is not None
        await pool.execute(
            "CREATE TABLE IF NOT EXISTS public.bench_raw "
            "(event_id text PRIMARY KEY, body jsonb NOT NULL, at timestamptz DEFAULT now())"
        )
        connection = await aio_pika.connect_robust(self._amqp_url)
        try:
            channel = await connection.channel(publisher_confirms=True)
            queue = await channel.declare_queue(
                self._queue_name, durable=True, arguments={"x-queue-type": "quorum"}
            )
            consumer_channel = await connection.channel()
            await consumer_channel.set_qos(prefetch_count=256)
            consumer_queue = await consumer_channel.get_queue(self._queue_name)
            writer = _BatchWriter(pool, self._committed, self._on_commit)
            tag = await consumer_queue.consume(writer.on_message)
            began, cpu_before = time.monotonic(), cpu_seconds(os.getpid())
            await self._publish(channel, burst, rate=None)
            seconds = time.monotonic() - began
            cpu = cpu_seconds(os.getpid()) - cpu_before
            self._committed.clear()
            self._published.clear()
            await self._publish(channel, paced, rate=rate)
            latencies = [(self._committed[key] - at) * 1000 for key, at in self._published.items()]
            await consumer_queue.cancel(tag)
            await queue.delete(if_unused=False, if_empty=False)
        finally:
            await connection.close()
            await pool.execute("DROP TABLE IF EXISTS public.bench_raw")
            await pool.close()
        return RawResult(burst, seconds, cpu * 1000 / max(burst, 1), latencies)

    def _on_commit(self) -> None:
        if len(self._committed) >= self._expected:
            self._done.set()

    async def _publish(
        self, channel: aio_pika.abc.AbstractChannel, count: int, rate: float | None
    ) -> None:
        self._done.clear()
        self._expected = count
        in_flight: set[asyncio.Future[Any]] = set()
        began = time.monotonic()
        for index in range(count):
            if rate is not None:
                delay = began + index / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            key = uuid.uuid4().hex
            body = json.dumps({"id": key, "n": index, "pad": BODY_PAD}).encode()
            self._published[key] = time.time()
            confirm = asyncio.ensure_future(
                channel.default_exchange.publish(
                    aio_pika.Message(
                        body, message_id=key, delivery_mode=aio_pika.DeliveryMode.PERSISTENT
                    ),
                    routing_key=self._queue_name,
                )
            )
            in_flight.add(confirm)
            confirm.add_done_callback(in_flight.discard)
            if len(in_flight) >= 512:
                await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
        if in_flight:
            await asyncio.gather(*in_flight)
        await asyncio.wait_for(self._done.wait(), timeout=300)


class _BatchWriter:
    """Gathers delivered messages; one writer commits ≤100 at a time, then one ack."""

    def __init__(self, pool: asyncpg.Pool, committed: dict[str, float], on_commit) -> None:
        self._pool = pool
        self._committed = committed
        self._on_commit = on_commit
        self._pending: list[aio_pika.abc.AbstractIncomingMessage] = []
        self._writing = False

    async def on_message(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        self._pending.append(message)
        if not self._writing:
            self._writing = True
            try:
                while self._pending:
                    batch, self._pending = self._pending[:100], self._pending[100:]
                    await self._write(batch)
            finally:
                self._writing = False

    async def _write(self, batch: list[aio_pika.abc.AbstractIncomingMessage]) -> None:
        rows = [(m.message_id, m.body.decode()) for m in batch]
        async with self._pool.acquire() as connection, connection.transaction():
            await connection.executemany(
                "INSERT INTO public.bench_raw (event_id, body) VALUES ($1, $2::jsonb) "
                "ON CONFLICT DO NOTHING",
                rows,
            )
        now = time.time()
        for message in batch:
            self._committed[str(message.message_id)] = now
        await batch[-1].ack(multiple=True)
        self._on_commit()
