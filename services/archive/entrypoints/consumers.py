"""The archive's consumer: every event on the events exchange, archived in batches.

An aio-pika consumer of its own rather than a FastStream subscriber: the archive takes
every event of the system, and batching needs messages in flight while earlier ones
commit (FastStream hands a subscriber one message at a time). Each message goes through
:class:`EventIntake` (decode, publisher policy, dead letters with the reason, retries
through outages); its handler waits until the batch holding the event committed, and only
then is the message acked, one by one (never ``multiple``). An unexpected failure nacks
the message; RabbitMQ redelivers it up to the queue's delivery limit, then dead-letters it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

import aio_pika
from aio_pika.abc import (
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustChannel,
    AbstractRobustConnection,
)

from services.archive.bootstrap import BINDING, SERVICE, Archive
from services.archive.domain.records import Mode, archived
from shared.contract import CloudEvent
from shared.messaging.intake import EventIntake
from shared.messaging.outcome import Outcome
from shared.messaging.received import ReceivedMessage

log = logging.getLogger(__name__)


class ArchiveConsumer:
    def __init__(self, archive: Archive) -> None:
        self._archive = archive
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractRobustChannel | None = None
        self._queue: AbstractQueue | None = None
        self._consumer_tag: str | None = None
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until ``stop`` is set, then finish and ack what is in flight."""
        archive = self._archive
        await archive.writer.start()
        try:
            self._connection = await aio_pika.connect_robust(
                archive.settings.amqp_url.get_secret_value(),
                client_properties={"connection_name": f"{SERVICE}-consumer"},
            )
            self._channel = await self._connection.channel()
            await self._channel.set_qos(prefetch_count=archive.settings.archive_prefetch)
            self._queue = await self._channel.get_queue(
                archive.topology.queue(BINDING.service), ensure=False
            )
            self._consumer_tag = await self._queue.consume(self._on_message)
            log.info("archive consumer started", extra={"queue": self._queue.name})
            await stop.wait()
            await self._queue.cancel(self._consumer_tag)
            self._consumer_tag = None
            await self._idle.wait()
        finally:
            await archive.batcher.drain()
            if self._connection is not None:
                with contextlib.suppress(Exception):
                    await self._connection.close()
            await archive.writer.close()

    def problem(self) -> str | None:
        """What keeps the consumer from taking messages, or ``None``."""
        if self._connection is None or self._connection.is_closed:
            return "consumer archive: not connected"
        if self._channel is None or self._channel.is_closed:
            return "consumer archive: channel closed"
        if self._consumer_tag is None:
            return "consumer archive: not attached"
        return None

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        self._in_flight += 1
        self._idle.clear()
        try:
            received = _received(message)
            intake = EventIntake(
                service=SERVICE,
                policy=self._archive.policy,
                dead_letters=self._archive.dead_letters,
                handle=lambda event: self._archive_event(event, received),
            )
            try:
                await intake.receive(received)
            except Exception:
                log.exception("archiving failed; the message goes back to the queue")
                await message.nack(requeue=True)
                return
            await message.ack()
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

    async def _archive_event(self, event: CloudEvent, message: ReceivedMessage) -> Outcome:
        record = archived(
            event, body=message.body, mode=_mode(message), received_at=datetime.now(UTC)
        )
        return await self._archive.batcher.submit(record)


def _mode(message: ReceivedMessage) -> Mode:
    """Structured when the content type says so, as :func:`decode_message` reads it."""
    media_type = (message.content_type or "").split(";", 1)[0].strip().lower()
    return "structured" if media_type.startswith("application/cloudevents") else "binary"


def _received(message: AbstractIncomingMessage) -> ReceivedMessage:
    return ReceivedMessage(
        body=message.body,
        content_type=message.content_type,
        routing_key=message.routing_key or "",
        exchange=message.exchange or "",
        message_id=message.message_id,
        headers=dict(message.headers or {}),
        redelivered=bool(message.redelivered),
    )
