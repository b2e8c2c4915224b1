"""The notifier's event consumer: every event of the bus, turned into notifications.

The shared :class:`BatchConsumer` (aio-pika, one multiple ack per committed batch) hands
events to a group commit with one writer: each batch is notified in one transaction, in
delivery order, so events of one subject are applied in the order they were published,
and the consumer never holds more than one database connection, whatever its prefetch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from services.notifier.bootstrap import BINDING, SERVICE, Notifier
from services.notifier.handlers.notify import notify_events
from shared.contract import CloudEvent, EventData, parse_data
from shared.db.group_commit import GroupCommit
from shared.messaging.batch_consumer import BatchConsumer
from shared.messaging.outcome import Outcome

Intake = tuple[CloudEvent, EventData]


class NotifierConsumer:
    def __init__(self, notifier: Notifier) -> None:
        settings = notifier.settings

        async def write(batch: Sequence[Intake]) -> list[Outcome]:
            return await notify_events(
                batch, notifier.uow(), notifier.renderer, notifier.notice_settings
            )

        own, standby = notifier.topology.queues_of_copy(
            BINDING.service, settings.copy_index, settings.copies
        )
        self._consumer = BatchConsumer(
            service=SERVICE,
            amqp_url=settings.amqp_url.get_secret_value(),
            queues=own,
            standby_queues=standby,
            prefetch=settings.prefetch,
            policy=notifier.policy,
            dead_letters=notifier.dead_letters,
            batches=GroupCommit(
                write,
                name="notifier intake",
                max_size=settings.intake_batch_size,
                max_wait=settings.intake_batch_wait,
                concurrency=1,
            ),
            prepare=_parsed,
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until ``stop`` is set, then finish and ack what is in flight."""
        await self._consumer.run(stop)

    def problem(self) -> str | None:
        """What keeps the consumer from taking messages, or ``None``."""
        return self._consumer.problem()


def _parsed(event: CloudEvent, _body: bytes, _content_type: str | None) -> Intake:
    """The event with its data as the contract's model (unknown type or bad data: refused)."""
    return event, parse_data(event.type, event.data)
