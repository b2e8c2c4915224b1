"""Names and arguments of every exchange and queue; each name carries the configured prefix.

- ``<prefix>.events``: the one durable topic exchange for events (routing key = event type).
- Each consuming service's queues, durable quorum queues dead-lettering at-least-once to
  ``<prefix>.dead-letters`` after ``delivery_limit`` redeliveries, either
  - partitioned (``partitions`` ≥ 1, the default): ``<prefix>.<service>.partitions``, a
    consistent-hash exchange bound to the events exchange with the service's pattern and
    hashing the :data:`PARTITION_HEADER` (the event's subject), spreads the service's events
    over ``<prefix>.<service>.0`` … ``.<partitions - 1>``, each a single-active-consumer
    queue: any number of copies of the service share the partitions, and the events of one
    subject stay in one queue, consumed by one copy at a time, in order. Messages without
    the header are never lost: the exchange hashes the missing value alike for all of them,
    so they all go to one and the same partition. Needs the
    ``rabbitmq_consistent_hash_exchange`` plugin;
  - or one queue ``<prefix>.<service>`` bound to the events exchange (``partitions`` = 0,
    no plugin needed; copies compete for its messages, so only one copy keeps the order).
- ``<prefix>.<service>.dead-letters``: where that service's rejected messages wait, with the
  reason in headers, to be listed and replayed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import aio_pika
import aiormq
from aio_pika.abc import AbstractChannel, ExchangeType

if TYPE_CHECKING:  # FastStream only where a service runs a subscriber or writes AsyncAPI
    from faststream.rabbit import RabbitExchange, RabbitQueue


PARTITION_HEADER = "ce-subject"
"""The header the partition exchanges hash: the event's subject. Binary-mode messages carry
it as a CloudEvents attribute already; our publishers add it to structured ones too."""

DEFAULT_PARTITIONS = 4
PLUGIN = "rabbitmq_consistent_hash_exchange"


class PartitionPluginMissing(RuntimeError):
    """Partitioned queues were asked for on a broker without the consistent-hash plugin."""


@dataclass(frozen=True)
class Topology:
    prefix: str
    delivery_limit: int = 10
    partitions: int = DEFAULT_PARTITIONS
    """Queues per consuming service (0: one queue, no partitioning)."""

    @property
    def events_exchange(self) -> str:
        return f"{self.prefix}.events"

    @property
    def dead_letter_exchange(self) -> str:
        return f"{self.prefix}.dead-letters"

    def queue(self, service: str) -> str:
        return f"{self.prefix}.{service}"

    def dead_letter_queue(self, service: str) -> str:
        return f"{self.prefix}.{service}.dead-letters"

    def partition_exchange(self, service: str) -> str:
        return f"{self.prefix}.{service}.partitions"

    def partition_queue(self, service: str, partition: int) -> str:
        return f"{self.prefix}.{service}.{partition}"

    def consumed_queues(self, service: str) -> list[str]:
        """Every queue a copy of the service consumes from."""
        if self.partitions == 0:
            return [self.queue(service)]
        return [self.partition_queue(service, n) for n in range(self.partitions)]

    def queues_of_copy(self, service: str, index: int, copies: int) -> tuple[list[str], list[str]]:
        """The queues copy ``index`` of ``copies`` takes first (every ``copies``-th
        partition from its index), and the others, which it only stands by for."""
        queues = self.consumed_queues(service)
        if copies <= 1 or len(queues) == 1:
            return queues, []
        own = [name for n, name in enumerate(queues) if n % copies == index % copies]
        return own, [name for name in queues if name not in own]

    def declared_queues(self, service: str) -> list[str]:
        """Every queue :func:`declare` makes for the service (dead-letter queue included)."""
        return [*self.consumed_queues(service), self.dead_letter_queue(service)]

    def declared_exchanges(self, service: str) -> list[str]:
        """The exchanges :func:`declare` makes for the service alone (none without
        partitions)."""
        if self.partitions == 0:
            return []
        return [self.partition_exchange(service)]

    def partition_exchange_arguments(self, service: str) -> dict[str, Any]:
        del service  # the same for every service
        return {"hash-header": PARTITION_HEADER}

    def queue_arguments(self, service: str) -> dict[str, Any]:
        arguments: dict[str, Any] = {
            "x-queue-type": "quorum",
            "x-dead-letter-exchange": self.dead_letter_exchange,
            "x-dead-letter-routing-key": service,
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
            "x-delivery-limit": self.delivery_limit,
        }
        if self.partitions:
            arguments["x-single-active-consumer"] = True
        return arguments


@dataclass(frozen=True)
class ConsumerBinding:
    """A service's queue and the routing-key pattern it binds to the events exchange."""

    service: str
    routing_key: str = "#"


def events_exchange(topology: Topology) -> RabbitExchange:
    from faststream.rabbit import ExchangeType as FsExchangeType  # noqa: PLC0415
    from faststream.rabbit import RabbitExchange  # noqa: PLC0415

    """The events exchange as FastStream declares it (same arguments as :func:`declare`)."""
    return RabbitExchange(topology.events_exchange, type=FsExchangeType.TOPIC, durable=True)


def consumer_queues(
    topology: Topology, binding: ConsumerBinding
) -> list[tuple[RabbitQueue, RabbitExchange]]:
    """The service's queues, each with the exchange it is bound to, as FastStream declares
    them (same names, types and arguments as :func:`declare`)."""
    from faststream.rabbit import ExchangeType as FsExchangeType  # noqa: PLC0415
    from faststream.rabbit import QueueType, RabbitExchange, RabbitQueue  # noqa: PLC0415

    def queue(name: str, routing_key: str) -> RabbitQueue:
        return RabbitQueue(
            name,
            queue_type=QueueType.QUORUM,
            durable=True,
            arguments=cast("Any", topology.queue_arguments(binding.service)),
            routing_key=routing_key,
        )

    if topology.partitions == 0:
        return [
            (queue(topology.queue(binding.service), binding.routing_key), events_exchange(topology))
        ]
    partitions = RabbitExchange(
        topology.partition_exchange(binding.service),
        type=FsExchangeType.X_CONSISTENT_HASH,
        durable=True,
        arguments=topology.partition_exchange_arguments(binding.service),
        bind_to=events_exchange(topology),
        routing_key=binding.routing_key,
    )
    return [
        (queue(name, PARTITION_WEIGHT), partitions)
        for name in topology.consumed_queues(binding.service)
    ]


PARTITION_WEIGHT = "1"
"""Binding key of each partition queue on the consistent-hash exchange: equal weights."""


async def declare(channel: AbstractChannel, topology: Topology, *bindings: ConsumerBinding) -> None:
    """Declare the exchanges, and each binding's queues and dead-letter queue (idempotent).

    With partitions, on a broker without the consistent-hash plugin: raises
    :class:`PartitionPluginMissing` (the channel is closed by the broker)."""
    events = await channel.declare_exchange(
        topology.events_exchange, ExchangeType.TOPIC, durable=True
    )
    dead_letters = await channel.declare_exchange(
        topology.dead_letter_exchange, ExchangeType.DIRECT, durable=True
    )
    for binding in bindings:
        service = binding.service
        dlq = await channel.declare_queue(
            topology.dead_letter_queue(service),
            durable=True,
            arguments={"x-queue-type": "quorum"},
        )
        await dlq.bind(dead_letters, routing_key=service)
        if topology.partitions == 0:
            queue = await channel.declare_queue(
                topology.queue(service), durable=True, arguments=topology.queue_arguments(service)
            )
            await queue.bind(events, routing_key=binding.routing_key)
            continue
        try:
            partitions = await channel.declare_exchange(
                topology.partition_exchange(service),
                cast("Any", "x-consistent-hash"),
                durable=True,
                arguments=topology.partition_exchange_arguments(service),
            )
        except aiormq.exceptions.ConnectionCommandInvalid as exc:  # 503: unknown type
            raise PartitionPluginMissing(
                f"the broker cannot declare {topology.partition_exchange(service)!r}: enable "
                f"the plugin (`rabbitmq-plugins enable {PLUGIN}`, no restart needed) or set "
                f"WORKPLAN_QUEUE_PARTITIONS=0 for one queue per service ({exc})"
            ) from exc
        await partitions.bind(events, routing_key=binding.routing_key)
        for name in topology.consumed_queues(service):
            queue = await channel.declare_queue(
                name, durable=True, arguments=topology.queue_arguments(service)
            )
            await queue.bind(partitions, routing_key=PARTITION_WEIGHT)


async def declare_with(url: str, topology: Topology, *bindings: ConsumerBinding) -> None:
    """Open a short connection and :func:`declare` the topology."""
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        await declare(channel, topology, *bindings)
