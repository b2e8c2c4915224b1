"""The archive's consumer: every event on the events exchange, archived in batches.

The shared :class:`BatchConsumer` (aio-pika, one multiple ack per committed batch) feeds
the archive's group commit; per message the archive only makes its log record here.
Batches are written by several writers at once (``archive_ingest_pool_size``): the log
keeps every event whatever the order, and the read models fold by ``sequence``.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from services.archive.bootstrap import BINDING, SERVICE, Archive
from services.archive.domain.records import ArchivedEvent, Mode, archived
from shared.contract import CloudEvent
from shared.messaging.batch_consumer import BatchConsumer


class ArchiveConsumer:
    def __init__(self, archive: Archive) -> None:
        self._archive = archive
        settings = archive.settings
        own, standby = archive.topology.queues_of_copy(
            BINDING.service, settings.copy_index, settings.copies
        )
        self._consumer = BatchConsumer(
            service=SERVICE,
            amqp_url=archive.settings.amqp_url.get_secret_value(),
            queues=own,
            standby_queues=standby,
            prefetch=archive.settings.archive_prefetch,
            policy=archive.policy,
            dead_letters=archive.dead_letters,
            batches=archive.batcher,
            prepare=_record,
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until ``stop`` is set, then finish and ack what is in flight."""
        await self._archive.writer.start()
        try:
            await self._consumer.run(stop)
        finally:
            await self._archive.writer.close()

    def problem(self) -> str | None:
        """What keeps the consumer from taking messages, or ``None``."""
        return self._consumer.problem()


def _record(event: CloudEvent, body: bytes, content_type: str | None) -> ArchivedEvent:
    return archived(event, body=body, mode=_mode(content_type), received_at=datetime.now(UTC))


def _mode(content_type: str | None) -> Mode:
    """Structured when the content type says so, as ``decode_message`` reads it."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    return "structured" if media_type.startswith("application/cloudevents") else "binary"
