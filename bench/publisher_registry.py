"""What the broker's publisher check costs a consumer.

Usage: ``python -m bench.publisher_registry [--publishers 1 50] [--reads 50]`` against the
broker of ``WORKPLAN_AMQP_URL`` (its management API must answer). Registers that many
publishers under a prefix of its own, then measures, in one run:

- one read of the registry through the management API (what a consumer does when an
  event would otherwise be refused): wall time and this process's CPU, median and p95;
- one decision of the policy for an accepted event (source, ``user_id``, type), as the
  consumers' fast path makes it for every message: CPU per check;
- how long after ``workplan publishers add`` returns a consumer accepts the new system's
  first event (the read on a miss, measured from here; no service involved).

Removes every user and exchange it made. Nothing is timed inside the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid

from shared.contract import CloudEvent
from shared.messaging.broker_api import BrokerApi
from shared.messaging.publisher_policy import PublisherPolicy
from shared.messaging.publisher_registry import read_registrations
from shared.messaging.topology import Topology
from workplan.publisher_onboarding import PublisherOnboarding

CHECKS = 200_000


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


async def measure(amqp_url: str, publishers: int, reads: int) -> None:
    run = uuid.uuid4().hex[:8]
    topology = Topology(f"bench-{run}")
    async with BrokerApi.for_amqp(None, amqp_url) as api:
        onboarding = PublisherOnboarding(api, topology, amqp_url, reserved=set())
        names = [f"b{run}-{n}" for n in range(publishers)]
        try:
            for name in names:
                await onboarding.add(name, f"urn:bench:{name}", ["workplan.meeting.held.v1"])

            async def registry() -> list:
                return await read_registrations(api, topology.prefix)

            walls, cpus = [], []
            for _ in range(reads):
                cpu, wall = time.process_time(), time.perf_counter()
                found = await registry()
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
                assert len(found) == publishers
            print(
                f"{publishers:4} publishers: registry read  wall median "
                f"{statistics.median(walls) * 1e3:6.2f} ms, p95 {p95(walls) * 1e3:6.2f} ms; "
                f"CPU here median {statistics.median(cpus) * 1e3:5.2f} ms"
            )

            policy = PublisherPolicy({}, registry=registry, min_read_interval=0.001)
            newest = f"b{run}-new"
            added_at = time.perf_counter()
            await onboarding.add(newest, f"urn:bench:{newest}", ["workplan.meeting.held.v1"])
            added = time.perf_counter() - added_at
            first = CloudEvent(
                specversion="1.0",
                id="1",
                source=f"urn:bench:{newest}",
                type="workplan.meeting.held.v1",
                data={},
            )
            accepted_at = time.perf_counter()
            await policy.check_fresh(first, newest)
            accepted = time.perf_counter() - accepted_at
            names.append(newest)
            print(
                f"{'':17}add took {added * 1e3:6.1f} ms; its first event accepted "
                f"{accepted * 1e3:6.2f} ms after (one read on the miss)"
            )

            cpu = time.process_time()
            for _ in range(CHECKS):
                policy.check(first, newest)
            per_check = (time.process_time() - cpu) / CHECKS
            print(f"{'':17}policy check of an accepted event: {per_check * 1e6:5.2f} µs CPU")
        finally:
            for name in names:
                await api.delete_user(name)
            for registration in await read_registrations(api, topology.prefix):
                await api.delete_exchange(registration.exchange)
            await api.delete_exchange(topology.events_exchange)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--publishers", type=int, nargs="+", default=[1, 50])
    parser.add_argument("--reads", type=int, default=50)
    args = parser.parse_args()
    amqp_url = os.environ.get("WORKPLAN_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    print(f"load {os.getloadavg()[0]:.1f}")
    for count in args.publishers:
        asyncio.run(measure(amqp_url, count, args.reads))


if __name__ == "__main__":
    main()
