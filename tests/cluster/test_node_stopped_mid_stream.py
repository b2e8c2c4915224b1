"""On the three-node cluster: a node stopped while thousands of events are published with
confirms (each subject's events one after the other, as the outbox relay publishes them)
loses nothing, and two copies of a partitioned consumer go on and apply every confirmed
event once, each subject in order.

The partition queues are declared through the node that is stopped, so it leads every
one of them: stopping it makes each partition elect a new leader mid-stream. The copies
and the publisher are connected either to the two other nodes, or all through one
address in front of the three nodes (a :class:`FrontDoor`, as a TCP load balancer in
production): then the clients on the stopped node lose their connection, reconnect, and
go on through another node while it is down."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from shared.messaging.publisher import ConfirmingPublisher, PublishFailed
from shared.messaging.topology import ConsumerBinding, Topology, declare_with
from tests.cluster.partitioned import applied, copies_running, create_table, out_of_order, step
from tests.support import eventually
from workplan.cli.events import to_message
from workplan.local_run.rabbit_cluster import LocalRabbitCluster

SERVICE = "sharer"
SUBJECTS = 100
STEPS = 80
STOP_AFTER = SUBJECTS * STEPS // 3
STOPPED = 2


@pytest.fixture
def dsn(database_url: str) -> str:
    return database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


@pytest.mark.parametrize(("how", "front_door"), [("stop", False), ("kill", False), ("stop", True)])
async def test_a_node_stopped_mid_stream_loses_nothing(
    rabbit_cluster: LocalRabbitCluster, dsn: str, how: str, front_door: bool
) -> None:
    door = rabbit_cluster.front_door()
    door.start()
    urls = [door.amqp_url()] * 3 if front_door else rabbit_cluster.amqp_urls
    topology = Topology(f"node-stop-{uuid.uuid4().hex[:6]}", partitions=4)
    await declare_with(rabbit_cluster.amqp_urls[STOPPED], topology, ConsumerBinding(SERVICE))
    leaders = _leaders(rabbit_cluster, topology)
    assert set(leaders.values()) == {rabbit_cluster.node_names[STOPPED]}
    table = f"applied_{uuid.uuid4().hex[:8]}"
    await create_table(dsn, table)

    confirmed: set[str] = set()
    retries = 0
    stopped = asyncio.Event()
    publisher = ConfirmingPublisher(urls[0], timeout=15)
    await publisher.connect()

    async def publish_subject(subject: str) -> None:
        nonlocal retries
        for sequence in range(1, STEPS + 1):
            event = step(subject, sequence)
            message = to_message(event, topology, mode="structured")
            while True:  # as the outbox relay: the same event again until it is confirmed
                try:
                    await publisher.publish(message)
                    break
                except PublishFailed:
                    retries += 1
                    await asyncio.sleep(0.2)
            confirmed.add(event.id)
            if len(confirmed) == STOP_AFTER:
                stopped.set()

    marks: dict[str, int] = {}

    async def stop_node_mid_stream() -> None:
        await stopped.wait()
        marks["connections before"] = door.opened
        halt = rabbit_cluster.stop_node if how == "stop" else rabbit_cluster.kill_node
        await asyncio.to_thread(halt, STOPPED)
        marks["stopped at"] = len(confirmed)  # the node's process has ended
        marks["leaders moved"] = len(set(_leaders(rabbit_cluster, topology).values()))

    try:
        async with copies_running(urls[:2], dsn, table, topology, SERVICE):
            await asyncio.gather(
                stop_node_mid_stream(),
                *(publish_subject(f"urn:test:subject:{n}") for n in range(SUBJECTS)),
            )
            leaders_while_down = set(_leaders(rabbit_cluster, topology).values())
            assert rabbit_cluster.running_nodes() == sorted(
                rabbit_cluster.node_names[:STOPPED] + rabbit_cluster.node_names[STOPPED + 1 :]
            )

            async def all_confirmed_applied() -> bool:
                ids = {row["event_id"] for row in await applied(dsn, table)}
                return confirmed <= ids

            await eventually(all_confirmed_applied, timeout=120)
            rows = await applied(dsn, table)
    finally:
        await publisher.close()
        rabbit_cluster.start_node(STOPPED)
        door.stop()

    marks["connections after"] = door.opened
    applied_ids = {row["event_id"] for row in rows}
    lost = confirmed - applied_ids
    print(
        f"\nnode {how} mid-stream{' (clients through a front door)' if front_door else ''}: "
        f"confirmed {len(confirmed)}, applied {len(applied_ids)}, "
        f"lost {len(lost)}, publish retries {retries}, stop began at {STOP_AFTER} confirmed "
        f"and ended at {marks['stopped at']}, leaders while down: {sorted(leaders_while_down)}, "
        f"connections through the door before / after: {marks['connections before']} / "
        f"{marks['connections after']}"
    )
    if front_door:  # round robin: the stopped node carried some; they came back elsewhere
        assert marks["connections after"] > marks["connections before"] >= 3
    assert STOP_AFTER <= marks["stopped at"] < SUBJECTS * STEPS  # it was down mid-stream
    assert rabbit_cluster.node_names[STOPPED] not in leaders_while_down
    assert len(confirmed) == SUBJECTS * STEPS
    assert lost == set()
    assert len(rows) == len(applied_ids)  # each applied once (the table is the inbox)
    assert out_of_order(rows) == []


def _leaders(cluster: LocalRabbitCluster, topology: Topology) -> dict[str, str]:
    wanted = set(topology.consumed_queues(SERVICE))
    return {name: leader for name, leader in cluster.queue_leaders().items() if name in wanted}
