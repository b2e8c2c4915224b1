"""The archive's consumer: every event on the events exchange, archived in batches.

An aio-pika consumer of its own rather than a FastStream subscriber: the archive takes
every event of the system, and batching needs messages in flight while earlier ones
commit (FastStream hands a subscriber one message at a time).

Per message, on the fast path (no await): decode, publisher policy, the log
record, into the batcher; the batch's commit settles it. Anything else — a message the
intake refuses (dead-lettered with the reason), a batch that failed — takes the slow path
through :class:`EventIntake`, exactly as every consumer does (it decodes again, dead-letters
refused messages, retries through outages); an unexpected failure there nacks the message
on its own (``requeue``), and RabbitMQ redelivers it up to the queue's delivery limit,
then dead-letters it.

Acks come after the commit, and cheaply: an :class:`AckTracker` per channel knows which
delivery tags are settled, and after each batch one ``basic.ack`` with ``multiple`` covers
every message up to the highest tag below which everything is settled — never a message
whose batch has not committed. After a reconnect, messages of the old channel are not
acked (RabbitMQ redelivers them; the inbox stores each event once).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import gc
import logging
from collections import Counter
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any

import aio_pika
import aiormq.abc
from aio_pika.abc import AbstractQueue, AbstractRobustChannel, AbstractRobustConnection

from services.archive.bootstrap import BINDING, SERVICE, Archive
from services.archive.domain.records import Mode, archived
from services.archive.entrypoints.acks import AckTracker
from shared.contract import CloudEvent
from shared.contract.amqp_binding import decode_message
from shared.messaging.intake import EventIntake
from shared.messaging.outcome import Outcome
from shared.messaging.received import ReceivedMessage
from shared.observability.metrics import EVENTS_CONSUMED, EVENTS_DUPLICATE

log = logging.getLogger(__name__)

_ALLOWED_MEMO = 10_000

_RECEIVED: contextvars.ContextVar[ReceivedMessage] = contextvars.ContextVar("archive_received")
"""The message the slow path's :class:`EventIntake` is handling (one task per message)."""


class _Channel:
    """One AMQP channel's deliveries: its tracker, and the channel to ack on."""

    def __init__(self, channel: aiormq.abc.AbstractChannel) -> None:
        self.channel = channel
        self.tracker = AckTracker()


class ArchiveConsumer:
    def __init__(self, archive: Archive) -> None:
        self._archive = archive
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractRobustChannel | None = None
        self._queue: AbstractQueue | None = None
        self._consumer_tag: str | None = None
        self._current: _Channel | None = None
        self._stopping = False
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._flush_due: set[_Channel] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._applied: Counter[str] = Counter()
        self._duplicates = 0
        self._allowed: set[tuple[str, str]] = set()
        """(source, type) pairs the publisher policy allowed (it does not change)."""
        self._intake = EventIntake(
            service=SERVICE,
            policy=archive.policy,
            dead_letters=archive.dead_letters,
            handle=self._archive_event,
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until ``stop`` is set, then finish and ack what is in flight."""
        archive = self._archive
        # what the process built while starting lives as long as it: keep it out of the
        # collector's full passes (they run while messages flow and grow with the heap)
        gc.freeze()
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
            self._channel.reopen_callbacks.add(self._on_reopen)
            await self._attach()
            log.info("archive consumer started", extra={"queue": self._queue.name})
            await stop.wait()
            self._stopping = True
            await self._detach()
            await self._idle.wait()
            self._flush()
            while self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
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

    # --- receiving ---------------------------------------------------------------------

    async def _attach(self) -> None:
        """Consume on the channel aio-pika keeps open (again after it reopened it).

        Deliveries go straight to :meth:`_on_delivery` (aiormq's message, no aio-pika
        ``IncomingMessage`` and no second task per message)."""
        assert self._channel is not None
        assert self._queue is not None
        channel = await self._channel.get_underlay_channel()
        consumed = await channel.basic_consume(self._queue.name, self._on_delivery, no_ack=False)
        self._consumer_tag = consumed.consumer_tag

    async def _detach(self) -> None:
        tag, self._consumer_tag = self._consumer_tag, None
        if tag is None or self._channel is None:
            return
        with contextlib.suppress(Exception):  # a closed channel consumes nothing anyway
            channel = await self._channel.get_underlay_channel()
            await channel.basic_cancel(tag)

    async def _on_reopen(self, *_: object) -> None:
        self._consumer_tag = None
        if not self._stopping:
            await self._attach()
            log.info("archive consumer attached again after the channel reopened")

    async def _on_delivery(self, message: aiormq.abc.DeliveredMessage) -> None:
        """Called by aiormq, one task per delivery started in delivery order; never awaits,
        so each message is registered before any later one can be settled."""
        tag = message.delivery_tag
        assert tag is not None
        channel = message.channel
        current = self._current
        if current is None or current.channel is not channel:
            current = self._current = _Channel(channel)  # a new channel after a reconnect
        current.tracker.received(tag)
        self._in_flight += 1
        self._idle.clear()
        properties = message.header.properties
        try:
            event = decode_message(message.body, properties.headers, properties.content_type)
            if (event.source, event.type) not in self._allowed:
                self._archive.policy.check(event)
                if len(self._allowed) < _ALLOWED_MEMO:
                    self._allowed.add((event.source, event.type))
            record = archived(
                event,
                body=message.body,
                mode=_mode(properties.content_type),
                received_at=datetime.now(UTC),
            )
        except Exception:  # refused or odd: EventIntake handles it (dead letter with reason)
            self._spawn(self._slow_path(message, current, tag))
            return
        event_type = event.type

        def settle(outcome: Outcome | None, error: BaseException | None) -> None:
            if error is not None:
                self._spawn(self._slow_path(message, current, tag))
                return
            if outcome == "duplicate":
                self._duplicates += 1
            else:
                self._applied[event_type] += 1
            self._settled(current, tag, ack=True)

        self._archive.batcher.add(record, settle)

    async def _slow_path(
        self, message: aiormq.abc.DeliveredMessage, channel: _Channel, tag: int
    ) -> None:
        """Through :class:`EventIntake`: dead letters, outage retries; a failure nacks."""
        received = _received(message)
        _RECEIVED.set(received)  # for _archive_event, which the intake calls
        try:
            await self._intake.receive(received)
        except Exception:
            log.exception("archiving failed; the message goes back to the queue")
            with contextlib.suppress(Exception):  # queued before any later multiple ack
                await channel.channel.basic_nack(tag, requeue=True)
            self._settled(channel, tag, ack=False)
            return
        self._settled(channel, tag, ack=True)

    async def _archive_event(self, event: CloudEvent) -> Outcome:
        message = _RECEIVED.get()
        record = archived(
            event,
            body=message.body,
            mode=_mode(message.content_type),
            received_at=datetime.now(UTC),
        )
        return await self._archive.batcher.submit(record)

    # --- settling and acking -----------------------------------------------------------

    def _settled(self, channel: _Channel, tag: int, *, ack: bool) -> None:
        channel.tracker.settled(tag, ack=ack)
        if not self._flush_due:
            asyncio.get_running_loop().call_soon(self._flush)
        self._flush_due.add(channel)
        self._in_flight -= 1
        if self._in_flight == 0:
            self._idle.set()

    def _flush(self) -> None:
        """One multiple ack per channel for everything settled so far; and the metrics."""
        due, self._flush_due = self._flush_due, set()
        for channel in due:
            tag = channel.tracker.ackable()
            if tag is None or channel.channel.is_closed:
                continue  # a closed channel's messages come again; the inbox dedupes them
            self._spawn(self._ack(channel.channel, tag))
        for event_type, count in self._applied.items():
            EVENTS_CONSUMED.labels(SERVICE, event_type).inc(count)
        self._applied.clear()
        if self._duplicates:
            EVENTS_DUPLICATE.labels(SERVICE).inc(self._duplicates)
            self._duplicates = 0

    async def _ack(self, channel: aiormq.abc.AbstractChannel, tag: int) -> None:
        try:
            await channel.basic_ack(tag, multiple=True)
        except Exception:  # the channel closed: RabbitMQ delivers those messages again
            log.warning("acking archived messages failed; they will come again", exc_info=True)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _mode(content_type: str | None) -> Mode:
    """Structured when the content type says so, as :func:`decode_message` reads it."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    return "structured" if media_type.startswith("application/cloudevents") else "binary"


def _received(message: aiormq.abc.DeliveredMessage) -> ReceivedMessage:
    properties = message.header.properties
    delivery = message.delivery
    return ReceivedMessage(
        body=message.body,
        content_type=properties.content_type,
        routing_key=message.routing_key or "",
        exchange=message.exchange or "",
        message_id=properties.message_id,
        headers=dict(properties.headers or {}),
        redelivered=bool(getattr(delivery, "redelivered", False)),
    )
