"""The confirming publisher when its connection is cut with publishes waiting for confirms.

Every publish ends in one of two ways the outbox relay understands: confirmed, or
:class:`PublishFailed` (the row stays pending and is published again). Never aiormq's bare
``Exception`` or a ``CancelledError`` of a confirm the closing channel dropped.
"""

from __future__ import annotations

import asyncio
import uuid

import aio_pika

from shared.messaging.publisher import ConfirmingPublisher, OutgoingMessage, PublishFailed
from tests.network import CuttableProxy
from tests.support import eventually

ROUNDS = 3
IN_FLIGHT = 400


async def test_publishes_in_flight_when_the_connection_is_cut_are_confirmed_or_fail_cleanly(
    amqp_url: str, run_id: str
) -> None:
    exchange = f"test-{run_id}.cut-{uuid.uuid4().hex[:6]}"
    queue_name = f"{exchange}.q"
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        declared = await channel.declare_exchange(exchange, aio_pika.ExchangeType.FANOUT)
        queue = await channel.declare_queue(
            queue_name, arguments={"x-queue-type": "quorum"}, durable=True
        )
        await queue.bind(declared)
        try:
            outcomes = await _publish_through_cuts(amqp_url, exchange)
        finally:
            await queue.delete(if_unused=False, if_empty=False)
            await declared.delete()

    unexpected = [repr(outcome) for outcome in outcomes if not _expected(outcome)]
    assert not unexpected, unexpected[:5]
    assert any(outcome is None for outcome in outcomes), "some publishes were confirmed"
    assert any(isinstance(outcome, PublishFailed) for outcome in outcomes), (
        "the cuts caught publishes in flight"
    )


async def _publish_through_cuts(amqp_url: str, exchange: str) -> list[BaseException | None]:
    outcomes: list[BaseException | None] = []
    async with CuttableProxy(amqp_url) as proxy:
        publisher = ConfirmingPublisher(proxy.url, timeout=10.0, app_id="cut-test")
        await publisher.connect()
        try:
            for _ in range(ROUNDS):
                await _reconnected(publisher)
                publishes = [
                    asyncio.ensure_future(publisher.publish(_message(exchange)))
                    for _ in range(IN_FLIGHT)
                ]
                # cut once the first confirms are in, while the rest still wait for theirs
                await asyncio.wait(publishes, return_when=asyncio.FIRST_COMPLETED)
                proxy.cut()
                results = await asyncio.gather(*publishes, return_exceptions=True)
                outcomes.extend(results)
        finally:
            await publisher.close()
    return outcomes


async def _reconnected(publisher: ConfirmingPublisher) -> None:
    async def connected() -> bool:
        return publisher.is_connected

    await eventually(connected, timeout=30)


def _message(exchange: str) -> OutgoingMessage:
    return OutgoingMessage(
        exchange=exchange,
        routing_key="cut",
        body=b"{}",
        content_type="application/json",
        message_id=str(uuid.uuid4()),
    )


def _expected(outcome: BaseException | None) -> bool:
    return outcome is None or isinstance(outcome, PublishFailed)
