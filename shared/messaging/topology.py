"""Names and arguments of every exchange and queue; each name carries the configured prefix.

- ``<prefix>.events``: the one durable topic exchange for events (routing key = event type).
- ``<prefix>.<service>``: a durable quorum queue per consuming service, dead-lettering
  at-least-once to ``<prefix>.dead-letters`` after ``delivery_limit`` redeliveries.
- ``<prefix>.<service>.dead-letters``: where that service's rejected messages wait, with the
  reason in headers, to be listed and replayed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import aio_pika
from aio_pika.abc import AbstractChannel, ExchangeType

if TYPE_CHECKING:  # FastStream only where a service runs a subscriber or writes AsyncAPI
    from faststream.rabbit import RabbitExchange, RabbitQueue


@dataclass(frozen=True)
class Topology:
    prefix: str
    delivery_limit: int = 10

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

    def queue_arguments(self, service: str) -> dict[str, Any]:
        return {
            "x-queue-type": "quorum",
            "x-dead-letter-exchange": self.dead_letter_exchange,
            "x-dead-letter-routing-key": service,
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
            "x-delivery-limit": self.delivery_limit,
        }


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


def consumer_queue(topology: Topology, binding: ConsumerBinding) -> RabbitQueue:
    from faststream.rabbit import QueueType, RabbitQueue  # noqa: PLC0415

    """The service's quorum queue as FastStream declares it (same arguments as :func:`declare`)."""
    return RabbitQueue(
        topology.queue(binding.service),
        queue_type=QueueType.QUORUM,
        durable=True,
        arguments=cast("Any", topology.queue_arguments(binding.service)),
        routing_key=binding.routing_key,
    )


async def declare(channel: AbstractChannel, topology: Topology, *bindings: ConsumerBinding) -> None:
    """Declare the exchanges, and each binding's queue and dead-letter queue (idempotent)."""
    events = await channel.declare_exchange(
        topology.events_exchange, ExchangeType.TOPIC, durable=True
    )
    dead_letters = await channel.declare_exchange(
        topology.dead_letter_exchange, ExchangeType.DIRECT, durable=True
    )
    for binding in bindings:
        dlq = await channel.declare_queue(
            topology.dead_letter_queue(binding.service),
            durable=True,
            arguments={"x-queue-type": "quorum"},
        )
        await dlq.bind(dead_letters, routing_key=binding.service)
        queue = await channel.declare_queue(
            topology.queue(binding.service),
            durable=True,
            arguments=topology.queue_arguments(binding.service),
        )
        await queue.bind(events, routing_key=binding.routing_key)


async def declare_with(url: str, topology: Topology, *bindings: ConsumerBinding) -> None:
    """Open a short connection and :func:`declare` the topology."""
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        await declare(channel, topology, *bindings)
