"""The local cluster starter: three nodes joined, a quorum queue on all three, and
messages confirmed while one node is down are all delivered; the whole cluster stopped and
started again keeps them."""

from __future__ import annotations

import asyncio
import json

import aio_pika
import pytest

from workplan.local_run.rabbit_cluster import LocalRabbitCluster

MESSAGES = 500


async def _publish(url: str, queue: str, first: int, count: int) -> None:
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        await asyncio.gather(
            *(
                channel.default_exchange.publish(
                    aio_pika.Message(
                        json.dumps({"n": n}).encode(),
                        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                    ),
                    routing_key=queue,
                    mandatory=True,
                )
                for n in range(first, first + count)
            )
        )


async def _consume_all(url: str, queue: str, expected: int) -> list[int]:
    connection = await aio_pika.connect(url)
    seen: list[int] = []
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=100)
        declared = await channel.get_queue(queue, ensure=True)
        async with asyncio.timeout(60):
            async with declared.iterator() as messages:
                async for message in messages:
                    seen.append(json.loads(message.body)["n"])
                    await message.ack()
                    if len(seen) == expected:
                        break
    return seen


def _leader(cluster: LocalRabbitCluster, queue: str) -> int:
    return cluster.node_names.index(cluster.queue_leaders()[queue])


async def test_three_nodes_run_as_one_cluster(rabbit_cluster: LocalRabbitCluster) -> None:
    names = rabbit_cluster.node_names
    assert len(names) == 3
    assert all(name.endswith("@localhost") and not name.startswith("rabbit@") for name in names)
    assert rabbit_cluster.running_nodes() == sorted(names)
    for index in range(3):  # each node sees the other two
        assert rabbit_cluster.running_nodes(via=index) == sorted(names)
    ports = {url.rsplit(":", 1)[1].rstrip("/") for url in rabbit_cluster.amqp_urls}
    assert len(ports) == 3
    assert "5672" not in ports
    enabled = rabbit_cluster.rabbitmqctl(0, "eval", "rabbit_plugins:active().")
    assert "rabbitmq_consistent_hash_exchange" in enabled


async def test_a_quorum_queue_survives_its_leader_stopping(
    rabbit_cluster: LocalRabbitCluster,
) -> None:
    queue = "cluster-test.quorum"
    connection = await aio_pika.connect(rabbit_cluster.amqp_urls[0])
    async with connection:
        channel = await connection.channel()
        await channel.declare_queue(queue, durable=True, arguments={"x-queue-type": "quorum"})
    assert rabbit_cluster.quorum_members(queue) == sorted(rabbit_cluster.node_names)

    await _publish(rabbit_cluster.amqp_urls[0], queue, 0, MESSAGES)
    stopped = _leader(rabbit_cluster, queue)
    rabbit_cluster.stop_node(stopped)
    try:
        assert len(rabbit_cluster.running_nodes()) == 2
        other = rabbit_cluster.amqp_urls[(stopped + 1) % 3]
        await _publish(other, queue, MESSAGES, MESSAGES)  # confirmed by the two left
        seen = await _consume_all(other, queue, 2 * MESSAGES)
    finally:
        rabbit_cluster.start_node(stopped)
    assert sorted(seen) == list(range(2 * MESSAGES))
    assert seen == sorted(seen)  # one queue: the order it was given
    assert rabbit_cluster.running_nodes() == sorted(rabbit_cluster.node_names)
    assert rabbit_cluster.quorum_members(queue) == sorted(rabbit_cluster.node_names)


@pytest.mark.parametrize("how", ["kill", "whole cluster"])
async def test_messages_outlive_a_killed_node_and_a_whole_cluster_restart(
    rabbit_cluster: LocalRabbitCluster, how: str
) -> None:
    queue = f"cluster-test.{how.replace(' ', '-')}"
    connection = await aio_pika.connect(rabbit_cluster.amqp_urls[1])
    async with connection:
        channel = await connection.channel()
        await channel.declare_queue(queue, durable=True, arguments={"x-queue-type": "quorum"})
    await _publish(rabbit_cluster.amqp_urls[1], queue, 0, MESSAGES)

    if how == "kill":
        rabbit_cluster.kill_node(1)
        assert not rabbit_cluster.nodes[1].running
        rabbit_cluster.start_node(1)
    else:
        rabbit_cluster.stop_all_nodes()
        assert rabbit_cluster.running_nodes() == []
        rabbit_cluster.start_nodes(range(3))
    assert rabbit_cluster.running_nodes() == sorted(rabbit_cluster.node_names)

    seen = await _consume_all(rabbit_cluster.amqp_urls[2], queue, MESSAGES)
    assert seen == list(range(MESSAGES))
