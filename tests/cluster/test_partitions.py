"""Copies of a consumer share its partitions and apply the events of one subject in order
(the machine's broker, with the consistent-hash plugin); a message without the subject
header is not lost; a broker without the plugin is refused with a clear message."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections import Counter

import aio_pika
import pytest

from shared.contract.amqp_binding import STRUCTURED_CONTENT_TYPE, encode_structured
from shared.messaging.publisher import ConfirmingPublisher
from shared.messaging.topology import (
    ConsumerBinding,
    PartitionPluginMissing,
    Topology,
    declare_with,
)
from tests.cluster.partitioned import (
    applied,
    copies_running,
    create_table,
    out_of_order,
    step,
)
from tests.support import delete_service_objects, eventually
from workplan.cli.events import to_message
from workplan.local_run.rabbit_cluster import LocalRabbitCluster

SERVICE = "sharer"
SUBJECTS = 40
STEPS = 15


@pytest.fixture
async def partitioned(amqp_url: str, run_id: str):
    topology = Topology(f"test-{run_id}-part-{uuid.uuid4().hex[:6]}", partitions=4)
    await declare_with(amqp_url, topology, ConsumerBinding(SERVICE))
    yield topology
    await delete_service_objects(amqp_url, topology, SERVICE)
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        await channel.exchange_delete(topology.events_exchange)
        await channel.exchange_delete(topology.dead_letter_exchange)


@pytest.fixture
def dsn(database_url: str) -> str:
    return database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def test_three_copies_share_the_partitions_and_keep_each_subjects_order(
    amqp_url: str, dsn: str, partitioned: Topology
) -> None:
    table = f"applied_{uuid.uuid4().hex[:8]}"
    await create_table(dsn, table)
    subjects = [f"urn:test:subject:{n}" for n in range(SUBJECTS)]
    publisher = ConfirmingPublisher(amqp_url)
    await publisher.connect()

    async def publish_steps(first: int, last: int) -> None:
        for sequence in range(first, last + 1):  # each subject's steps in order, subjects mixed
            order = random.sample(subjects, len(subjects))
            await asyncio.gather(
                *(
                    publisher.publish(
                        to_message(
                            step(subject, sequence),
                            partitioned,
                            mode="binary" if n % 2 else "structured",
                        )
                    )
                    for n, subject in enumerate(order)
                )
            )

    try:
        async with copies_running([amqp_url] * 3, dsn, table, partitioned, SERVICE) as copies:
            await publish_steps(1, 5)
            await eventually(_count(dsn, table, SUBJECTS * 5), timeout=30)
            # the copy taking partitions 0 and 3 goes away mid-stream: the others take over
            stopping = asyncio.create_task(copies[0].close())
            await publish_steps(6, STEPS)
            await stopping
            await eventually(_count(dsn, table, SUBJECTS * STEPS), timeout=60)
            rows = await applied(dsn, table)
    finally:
        await publisher.close()

    assert len(rows) == SUBJECTS * STEPS  # every event once
    assert out_of_order(rows) == []
    by_copy = Counter(row["copy"] for row in rows)
    assert set(by_copy) == {0, 1, 2}, by_copy  # all three did work
    before = [row for row in rows if row["sequence"] <= 5]
    subjects_of: dict[int, set[str]] = {}
    for row in before:
        subjects_of.setdefault(row["copy"], set()).add(row["subject"])
    # while all three ran, a subject was handled by one copy only
    assert sum(len(s) for s in subjects_of.values()) == SUBJECTS
    after = {row["copy"] for row in rows if row["sequence"] > 5 and row["copy"] == 0}
    assert len(after) <= 1  # copy 0 stopped; at most what it had in flight


async def test_messages_without_the_subject_header_all_go_to_one_partition(
    amqp_url: str, partitioned: Topology
) -> None:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        exchange = await channel.get_exchange(partitioned.events_exchange)
        for n in range(8):  # structured, as an external system might send it: no header
            event = step(f"urn:test:subject:headerless-{n}", 1)
            await exchange.publish(
                aio_pika.Message(encode_structured(event), content_type=STRUCTURED_CONTENT_TYPE),
                routing_key=event.type,
                mandatory=True,
            )
        counts = []
        for name in partitioned.consumed_queues(SERVICE):
            queue = await channel.declare_queue(name, passive=True)
            counts.append(queue.declaration_result.message_count or 0)
    assert sorted(counts) == [0, 0, 0, 8]  # none lost, all in one partition (in order)


async def test_the_subject_header_picks_one_partition_per_subject(
    amqp_url: str, partitioned: Topology
) -> None:
    publisher = ConfirmingPublisher(amqp_url)
    await publisher.connect()
    try:
        for sequence in range(1, 4):
            for mode in ("structured", "binary"):
                await publisher.publish(
                    to_message(step("urn:test:subject:one", sequence), partitioned, mode=mode)
                )
    finally:
        await publisher.close()
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        counts = []
        for name in partitioned.consumed_queues(SERVICE):
            queue = await channel.declare_queue(name, passive=True)
            counts.append(queue.declaration_result.message_count or 0)
    assert sorted(counts) == [0, 0, 0, 6]  # both modes hashed alike, all in one partition


def _count(dsn: str, table: str, expected: int):
    async def check() -> bool:
        return len(await applied(dsn, table)) >= expected

    return check


async def test_a_broker_without_the_plugin_is_refused_with_a_clear_message(
    tmp_path, rabbit_scripts: None
) -> None:
    with LocalRabbitCluster(nodes=1, base_dir=tmp_path / "plain", plugins=()) as plain:
        url = plain.amqp_urls[0]
        with pytest.raises(PartitionPluginMissing, match="rabbitmq-plugins enable"):
            await declare_with(url, Topology("plain", partitions=4), ConsumerBinding(SERVICE))
        # one queue per service needs no plugin
        await declare_with(url, Topology("plain", partitions=0), ConsumerBinding(SERVICE))
        connection = await aio_pika.connect(url)
        async with connection:
            channel = await connection.channel()
            queue = await channel.declare_queue("plain.sharer", passive=True)
            assert queue.name == "plain.sharer"
