"""The AsyncAPI document of a service that consumes with the shared batch consumer.

The archive and the notifier consume with aio-pika directly
(:mod:`shared.messaging.batch_consumer`); this describes their partition queues and
bindings through FastStream's document model. It never runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.messaging.topology import ConsumerBinding, Topology, consumer_queues

if TYPE_CHECKING:  # FastStream only describes the queues; it runs none of them
    from faststream.specification import AsyncAPI


def consumer_document(
    topology: Topology,
    binding: ConsumerBinding,
    *,
    title: str,
    version: str,
    description: str,
    queue_description: str,
    amqp_url: str | None = None,
) -> AsyncAPI:
    """``title``'s document: one subscriber per queue of ``binding``, each described by
    ``queue_description`` (and which partition it is, when there are several)."""
    from faststream.rabbit import RabbitBroker  # noqa: PLC0415
    from faststream.specification import AsyncAPI  # noqa: PLC0415

    broker_description = "Events of the Workplan system (CloudEvents 1.0)."
    broker = (
        RabbitBroker(amqp_url, description=broker_description)
        if amqp_url is not None
        else RabbitBroker(description=broker_description)
    )

    async def on_event(body: bytes) -> None:  # pragma: no cover - documents the payload
        del body

    queues = consumer_queues(topology, binding)
    partitions = f" One of {len(queues)} partitions by subject." if len(queues) > 1 else ""
    service = title.removeprefix("Workplan ")
    for queue, exchange in queues:
        broker.subscriber(
            queue,
            exchange,
            title=f"{service}: every event ({queue.name})",
            description=queue_description + partitions,
        )(on_event)
    return AsyncAPI(broker, title=title, version=version, description=description)
