"""Copies of a partitioned consumer for the tests: the shared :class:`BatchConsumer` with a
real handler that records, per batch in one PostgreSQL transaction, which copy applied
which event of which subject (once per event: the table's key is the inbox)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import asyncpg

from shared.contract import CloudEvent
from shared.db.group_commit import GroupCommit
from shared.messaging.batch_consumer import BatchConsumer
from shared.messaging.broker_api import AmqpAccount
from shared.messaging.dead_letters import DeadLetterSender
from shared.messaging.outcome import Outcome
from shared.messaging.publisher import ConfirmingPublisher
from shared.messaging.publisher_policy import PublisherPolicy
from shared.messaging.topology import Topology

SOURCE = "urn:test:partitions"
TYPE = "workplan.test.step.v1"

Step = tuple[str, str, int]
"""(event id, subject, sequence)."""


def step(subject: str, sequence: int) -> CloudEvent:
    return CloudEvent(
        specversion="1.0",
        id=str(uuid.uuid4()),
        source=SOURCE,
        type=TYPE,
        subject=subject,
        sequence=str(sequence),
        time=datetime.now(UTC),
        datacontenttype="application/json",
        data={"subject": subject, "sequence": sequence},
    )


async def create_table(dsn: str, table: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            f"CREATE TABLE {table} (position bigserial, copy int NOT NULL, event_id text "
            "PRIMARY KEY, subject text NOT NULL, sequence int NOT NULL)"
        )
    finally:
        await connection.close()


async def applied(dsn: str, table: str) -> list[asyncpg.Record]:
    """Every applied event in the order it was committed."""
    connection = await asyncpg.connect(dsn)
    try:
        rows: list[asyncpg.Record] = await connection.fetch(
            f"SELECT copy, event_id, subject, sequence FROM {table} ORDER BY position"
        )
        return rows
    finally:
        await connection.close()


@dataclass
class ConsumerCopy:
    """One copy of the service: its own connection, its own database pool."""

    number: int
    amqp_url: str
    dsn: str
    table: str
    topology: Topology
    service: str
    copies: int
    standby_delay: float = 0.5
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    consumer: BatchConsumer[Step] | None = None

    async def start(self) -> None:
        pool = await asyncpg.create_pool(self.dsn, min_size=1, max_size=2)
        publisher = ConfirmingPublisher(self.amqp_url, app_id=f"{self.service}-{self.number}")
        await publisher.connect()
        copy, table = self.number, self.table

        async def write(batch: Sequence[Step]) -> list[Outcome]:
            async with pool.acquire() as connection, connection.transaction():
                inserted = await connection.fetch(
                    f"INSERT INTO {table} (copy, event_id, subject, sequence) "
                    "SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[]) "
                    "ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
                    copy,
                    [s[0] for s in batch],
                    [s[1] for s in batch],
                    [s[2] for s in batch],
                )
            new = {row["event_id"] for row in inserted}
            return ["applied" if s[0] in new else "duplicate" for s in batch]

        own, standby = self.topology.queues_of_copy(self.service, self.number, self.copies)
        self.consumer = BatchConsumer(
            service=self.service,
            amqp_url=self.amqp_url,
            queues=own,
            standby_queues=standby,
            standby_delay=self.standby_delay,
            prefetch=64,
            policy=PublisherPolicy.from_config(
                {SOURCE: ["workplan.test.*"]}, user=AmqpAccount.of(self.amqp_url).user
            ),
            dead_letters=DeadLetterSender(publisher, self.topology, self.service),
            batches=GroupCommit(write, name="test", max_size=50, max_wait=0.01, concurrency=1),
            prepare=_step,
        )

        async def run() -> None:
            try:
                assert self.consumer is not None
                await self.consumer.run(self.stop)
            finally:
                await publisher.close()
                await pool.close()

        self.task = asyncio.create_task(run())

    async def close(self) -> None:
        self.stop.set()
        if self.task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.task, 60)


def _step(event: CloudEvent, _body: bytes, _content_type: str | None) -> Step:
    assert event.subject is not None
    sequence = event.sequence_number
    assert sequence is not None
    return (event.id, event.subject, sequence)


@contextlib.asynccontextmanager
async def copies_running(
    urls: Sequence[str], dsn: str, table: str, topology: Topology, service: str
) -> AsyncIterator[list[ConsumerCopy]]:
    """One copy per URL (copy i connects to ``urls[i]``), started together."""
    running = [
        ConsumerCopy(n, url, dsn, table, topology, service, copies=len(urls))
        for n, url in enumerate(urls)
    ]
    try:
        for copy in running:
            await copy.start()
        yield running
    finally:
        for copy in running:
            await copy.close()


def out_of_order(rows: Sequence[asyncpg.Record]) -> list[str]:
    """Subjects whose events were not applied in sequence order (commit order)."""
    last: dict[str, int] = {}
    wrong = []
    for row in rows:
        if row["sequence"] <= last.get(row["subject"], 0):
            wrong.append(row["subject"])
        last[row["subject"]] = row["sequence"]
    return wrong
