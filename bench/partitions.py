"""What partitioning a service's queue costs the broker: one quorum queue bound to the
events exchange against N single-active-consumer quorum queues behind a consistent-hash
exchange (the topology of ``shared/messaging/topology.py``), in the same run.

Usage::

    python -m bench.partitions [--events 20000] [--partitions 4] [--rounds 3]
        [--broker-pid PID]    # the configured broker (WORKPLAN_AMQP_URL); CPU from its pid
        [--cluster]           # or a three-node cluster of its own (LocalRabbitCluster)

Each round publishes the events (``ce-subject`` header, 1,000 subjects, ~1 KB,
persistent, confirms pipelined 500 in flight) to the events exchange while one consumer
takes them from every queue of the layout (manual ack, prefetch 256 per queue); the
layouts alternate. Prints, per layout, the median of events/s (first publish → last
ack) and the broker's CPU per event (``/proc/<pid>/stat`` of every node), and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import aio_pika

from shared.messaging.topology import PARTITION_HEADER, ConsumerBinding, Topology, declare_with
from shared.settings import WorkplanSettings
from workplan.local_run.rabbit_cluster import LocalRabbitCluster

SERVICE = "bench"
SUBJECTS = 1000
IN_FLIGHT = 500
BODY = b'{"data": "' + b"x" * 1000 + b'"}'


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / 100  # clock ticks (USER_HZ = 100)


@dataclass
class Round:
    layout: str
    events_per_second: float
    broker_cpu_us_per_event: float


async def one_round(url: str, pids: list[int], partitions: int, events: int) -> Round:
    topology = Topology(f"bench-part-{uuid.uuid4().hex[:6]}", partitions=partitions)
    await declare_with(url, topology, ConsumerBinding(SERVICE))
    queues = topology.consumed_queues(SERVICE)
    connection = await aio_pika.connect(url)
    try:
        consumer_channel = await connection.channel()
        await consumer_channel.set_qos(prefetch_count=256)
        received = 0
        done = asyncio.Event()

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            nonlocal received
            await message.ack()
            received += 1
            if received == events:
                done.set()

        for name in queues:
            queue = await consumer_channel.get_queue(name)
            await queue.consume(on_message)
        publish_channel = await connection.channel(publisher_confirms=True)
        exchange = await publish_channel.get_exchange(topology.events_exchange)
        window = asyncio.Semaphore(IN_FLIGHT)

        async def publish(n: int) -> None:
            async with window:
                await exchange.publish(
                    aio_pika.Message(
                        BODY,
                        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                        headers={PARTITION_HEADER: f"urn:bench:subject:{n % SUBJECTS}"},
                    ),
                    routing_key="workplan.bench.v1",
                )

        cpu_before = cpu_seconds(pids)
        started = time.perf_counter()
        await asyncio.gather(*(publish(n) for n in range(events)))
        await asyncio.wait_for(done.wait(), timeout=600)
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds(pids) - cpu_before
        await consumer_channel.close()
    finally:
        channel = await connection.channel()
        for name in topology.declared_queues(SERVICE):
            await channel.queue_delete(name)
        for name in (
            *topology.declared_exchanges(SERVICE),
            topology.events_exchange,
            topology.dead_letter_exchange,
        ):
            await channel.exchange_delete(name)
        await connection.close()
    layout = f"{partitions} partitions" if partitions else "one queue"
    return Round(layout, events / elapsed, cpu / events * 1e6)


async def measure(url: str, pids: list[int], partitions: int, events: int, rounds: int) -> None:
    results: dict[str, list[Round]] = {}
    await one_round(url, pids, 0, min(events, 2000))  # warm-up
    for _ in range(rounds):
        for count in (0, partitions):
            result = await one_round(url, pids, count, events)
            results.setdefault(result.layout, []).append(result)
            print(
                f"  {result.layout:>13}: {result.events_per_second:7.0f} events/s, "
                f"broker {result.broker_cpu_us_per_event:5.0f} µs CPU per event"
            )
    medians = {
        layout: (
            statistics.median(r.events_per_second for r in runs),
            statistics.median(r.broker_cpu_us_per_event for r in runs),
        )
        for layout, runs in results.items()
    }
    print(f"medians of {rounds} rounds, {events} events each:")
    for layout, (rate, cpu) in medians.items():
        print(f"  {layout:>13}: {rate:7.0f} events/s, broker {cpu:5.0f} µs CPU per event")
    single, split = medians["one queue"], medians[f"{partitions} partitions"]
    print(
        f"ratio partitioned / one queue: rate {split[0] / single[0]:.2f}, "
        f"broker CPU per event {split[1] / single[1]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--broker-pid", type=int, help="the configured broker's beam.smp")
    parser.add_argument("--cluster", action="store_true", help="a three-node cluster instead")
    args = parser.parse_args()
    if args.cluster:
        with (
            tempfile.TemporaryDirectory(prefix="bench-cluster-") as folder,
            LocalRabbitCluster(3, Path(folder)) as cluster,
        ):
            pids = [pid for node in cluster.nodes if (pid := node.beam_pid) is not None]
            print(f"three-node cluster {cluster.name}; publishing and consuming via node 1")
            asyncio.run(
                measure(cluster.amqp_urls[0], pids, args.partitions, args.events, args.rounds)
            )
        return
    if args.broker_pid is None:
        parser.error("give --broker-pid of the configured broker, or --cluster")
    url = WorkplanSettings().amqp_url.get_secret_value()
    asyncio.run(measure(url, [args.broker_pid], args.partitions, args.events, args.rounds))


if __name__ == "__main__":
    main()
