"""A consumer that hands events to a group commit and acks each batch with one ``basic.ack``.

An aio-pika consumer of its own rather than a FastStream subscriber: batching needs
messages in flight while earlier ones commit (FastStream hands a subscriber one message
at a time, or runs many at once, each in its own transaction).

Per message, on the fast path (no await): decode, publisher policy, the service's
``prepare`` (its own validation, the item its batch writer takes), into the
:class:`GroupCommit`; the batch's commit settles it. Anything else — a message the intake
refuses (dead-lettered with the reason), a batch that failed — takes the slow path through
:class:`EventIntake`, exactly as every consumer does (it decodes again, dead-letters
refused messages, retries through outages); an unexpected failure there nacks the message
on its own (``requeue``), and RabbitMQ redelivers it up to the queue's delivery limit,
then dead-letters it.

Acks come after the commit, and cheaply: an :class:`AckTracker` per channel knows which
delivery tags are settled, and after each batch one ``basic.ack`` with ``multiple`` covers
every message up to the highest tag below which everything is settled — never a message
whose batch has not committed. After a reconnect, messages of the old channel are not
acked (RabbitMQ redelivers them; the inbox stores each event once).

Messages enter the group commit in delivery order; with one writer (``concurrency=1``)
events of one subject are applied in the order they were published.

It consumes every queue of its service (the partitions of
:mod:`shared.messaging.topology`) on one channel. The partitions are single-active-consumer
queues: RabbitMQ delivers each one to one copy of the service at a time and hands it to
another copy when that one goes away, so copies share the partitions and the events of one
subject (one partition) are handled by one copy, in order. A partition goes to the copy
that subscribed first; so that copies started together share them evenly, a copy
subscribes at once to its own ``queues`` and only ``standby_delay`` seconds later to the
``standby_queues`` (the other copies' partitions, which it takes over if they go away).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import gc
import logging
from collections import Counter
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Generic, TypeVar

import aio_pika
import aiormq.abc
from aio_pika.abc import AbstractRobustChannel, AbstractRobustConnection

from shared.contract import CloudEvent
from shared.contract.amqp_binding import decode_message
from shared.db.group_commit import GroupCommit
from shared.messaging.acks import AckTracker
from shared.messaging.dead_letters import DeadLetterSender
from shared.messaging.intake import EventIntake
from shared.messaging.outcome import Outcome
from shared.messaging.publisher_policy import PublisherPolicy
from shared.messaging.received import ReceivedMessage
from shared.observability.metrics import EVENTS_CONSUMED, EVENTS_DUPLICATE
from shared.runtime.logs import PER_MESSAGE_LEVEL, broker_logger

log = logging.getLogger(__name__)

T = TypeVar("T")

Prepare = Callable[[CloudEvent, bytes, str | None], T]
"""The service's item for its batch writer, made from a valid event, the body as received
and its content type; raises :class:`~shared.contract.InvalidEvent` to refuse it (then it
is dead-lettered with the reason)."""

_ALLOWED_MEMO = 10_000


class _Channel:
    """One AMQP channel's deliveries: its tracker, and the channel to ack on."""

    def __init__(self, channel: aiormq.abc.AbstractChannel) -> None:
        self.channel = channel
        self.tracker = AckTracker()


class BatchConsumer(Generic[T]):
    def __init__(
        self,
        *,
        service: str,
        amqp_url: str,
        queues: Sequence[str],
        standby_queues: Sequence[str] = (),
        standby_delay: float = 5.0,
        prefetch: int,
        policy: PublisherPolicy,
        dead_letters: DeadLetterSender,
        batches: GroupCommit[T, Outcome],
        prepare: Prepare[T],
    ) -> None:
        self._service = service
        self._messages_log = broker_logger(service)
        """A line per message ("Received", "Processed"), at DEBUG: off unless asked for."""
        self._amqp_url = amqp_url
        if not queues and not standby_queues:
            raise ValueError("a consumer needs at least one queue")
        self._queue_names = tuple(queues)
        self._standby_names = tuple(standby_queues)
        self._standby_delay = standby_delay
        self._standby_task: asyncio.Task[None] | None = None
        self._prefetch = prefetch
        self._policy = policy
        self._batches = batches
        self._prepare = prepare
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractRobustChannel | None = None
        self._consumer_tags: dict[str, str] = {}
        """Queue name -> consumer tag, on the current channel."""
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
        self._received: contextvars.ContextVar[ReceivedMessage] = contextvars.ContextVar(
            f"{service}_received"
        )
        """The message the slow path's :class:`EventIntake` is handling (a task each)."""
        self._intake = EventIntake(
            service=service, policy=policy, dead_letters=dead_letters, handle=self._slow_handle
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until ``stop`` is set, then finish and ack what is in flight."""
        # what the process built while starting lives as long as it: keep it out of the
        # collector's full passes (they run while messages flow and grow with the heap)
        gc.freeze()
        try:
            self._connection = await aio_pika.connect_robust(
                self._amqp_url,
                client_properties={"connection_name": f"{self._service}-consumer"},
            )
            self._channel = await self._connection.channel()
            # per consumer (quorum queues have no channel-wide limit): up to prefetch
            # unacked messages from each partition this copy is the active consumer of
            await self._channel.set_qos(prefetch_count=self._prefetch)
            self._channel.reopen_callbacks.add(self._on_reopen)
            await self._attach()
            log.info("batch consumer started", extra={"queues": ", ".join(self._queue_names)})
            await stop.wait()
            self._stopping = True
            if self._standby_task is not None:
                self._standby_task.cancel()
            await self._detach()
            await self._idle.wait()
            self._flush()
            while self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
        finally:
            await self._batches.drain()
            if self._connection is not None:
                with contextlib.suppress(Exception):
                    await self._connection.close()

    def problem(self) -> str | None:
        """What keeps the consumer from taking messages, or ``None``."""
        name = f"consumer {self._service}"
        if self._connection is None or self._connection.is_closed:
            return f"{name}: not connected"
        if self._channel is None or self._channel.is_closed:
            return f"{name}: channel closed"
        if not set(self._queue_names) <= set(self._consumer_tags):
            return f"{name}: not attached"
        return None

    # --- receiving ---------------------------------------------------------------------

    async def _attach(self) -> None:
        """Consume on the channel aio-pika keeps open (again after it reopened it): the
        own queues now, the standby queues after ``standby_delay``.

        Deliveries go straight to :meth:`_on_delivery` (aiormq's message, no aio-pika
        ``IncomingMessage`` and no second task per message). A queue that does not exist
        closes the channel (404): the service declares its queues before it consumes."""
        assert self._channel is not None
        channel = await self._channel.get_underlay_channel()
        await self._consume(channel, self._queue_names)
        if self._standby_names:
            if self._standby_task is not None:
                self._standby_task.cancel()
            self._standby_task = asyncio.create_task(self._attach_standby(channel))

    async def _attach_standby(self, channel: aiormq.abc.AbstractChannel) -> None:
        await asyncio.sleep(self._standby_delay)
        if self._stopping or channel.is_closed:
            return  # stopping, or a reopened channel attaches its own
        try:
            await self._consume(channel, self._standby_names)
        except Exception:  # the channel closed meanwhile: the reopen attaches again
            log.warning("consuming the standby partitions failed", exc_info=True)

    async def _consume(self, channel: aiormq.abc.AbstractChannel, names: Sequence[str]) -> None:
        for name in names:
            consumed = await channel.basic_consume(name, self._on_delivery, no_ack=False)
            assert consumed.consumer_tag is not None
            self._consumer_tags[name] = consumed.consumer_tag

    async def _detach(self) -> None:
        tags, self._consumer_tags = self._consumer_tags, {}
        if not tags or self._channel is None:
            return
        with contextlib.suppress(Exception):  # a closed channel consumes nothing anyway
            channel = await self._channel.get_underlay_channel()
            for tag in tags.values():
                await channel.basic_cancel(tag)

    async def _on_reopen(self, *_: object) -> None:
        self._consumer_tags = {}
        if not self._stopping:
            await self._attach()
            log.info("consumer attached again after the channel reopened")

    async def _on_delivery(self, message: aiormq.abc.DeliveredMessage) -> None:
        """Called by aiormq, one task per delivery started in delivery order; never awaits,
        so each message is registered (and batched) before any later one."""
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
        per_message = self._messages_log.isEnabledFor(PER_MESSAGE_LEVEL)
        if per_message:
            self._per_message("Received", properties.message_id, message.routing_key)
        try:
            event = decode_message(message.body, properties.headers, properties.content_type)
            if (event.source, event.type) not in self._allowed:
                self._policy.check(event)
                if len(self._allowed) < _ALLOWED_MEMO:
                    self._allowed.add((event.source, event.type))
            item = self._prepare(event, message.body, properties.content_type)
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
            if per_message:
                self._per_message("Processed", properties.message_id, outcome)
            self._settled(current, tag, ack=True)

        self._batches.add(item, settle)

    def _per_message(self, what: str, message_id: str | None, detail: str | None) -> None:
        self._messages_log.log(
            PER_MESSAGE_LEVEL, what, extra={"message_id": message_id, "detail": detail}
        )

    async def _slow_path(
        self, message: aiormq.abc.DeliveredMessage, channel: _Channel, tag: int
    ) -> None:
        """Through :class:`EventIntake`: dead letters, outage retries; a failure nacks."""
        received = received_message(message)
        self._received.set(received)  # for _slow_handle, which the intake calls
        try:
            await self._intake.receive(received)
        except Exception:
            log.exception("handling failed; the message goes back to the queue")
            with contextlib.suppress(Exception):  # queued before any later multiple ack
                await channel.channel.basic_nack(tag, requeue=True)
            self._settled(channel, tag, ack=False)
            return
        self._settled(channel, tag, ack=True)

    async def _slow_handle(self, event: CloudEvent) -> Outcome:
        message = self._received.get()
        return await self._batches.submit(self._prepare(event, message.body, message.content_type))

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
            EVENTS_CONSUMED.labels(self._service, event_type).inc(count)
        self._applied.clear()
        if self._duplicates:
            EVENTS_DUPLICATE.labels(self._service).inc(self._duplicates)
            self._duplicates = 0

    async def _ack(self, channel: aiormq.abc.AbstractChannel, tag: int) -> None:
        try:
            await channel.basic_ack(tag, multiple=True)
        except Exception:  # the channel closed: RabbitMQ delivers those messages again
            log.warning("acking handled messages failed; they will come again", exc_info=True)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def received_message(message: aiormq.abc.DeliveredMessage) -> ReceivedMessage:
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
