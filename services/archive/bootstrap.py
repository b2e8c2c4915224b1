"""The archive's composition root: the one place that builds and wires its dependencies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from services.archive.adapters.access_log import SqlAccessLog
from services.archive.adapters.feed_store import SqlFeedStore
from services.archive.adapters.log_writer import SqlArchiveWriter
from services.archive.adapters.repositories import SqlArchiveQueries
from services.archive.domain.records import ArchivedEvent
from services.archive.handlers.ingest import archive_batch
from services.archive.settings import ArchiveSettings
from shared.db.engine import asyncpg_dsn, create_engine
from shared.db.group_commit import GroupCommit
from shared.messaging.dead_letters import DeadLetterSender
from shared.messaging.outcome import Outcome
from shared.messaging.publisher import ConfirmingPublisher
from shared.messaging.publisher_policy import PublisherPolicy, configured_policy
from shared.messaging.topology import ConsumerBinding, Topology

SERVICE = "archive"
BINDING = ConsumerBinding(SERVICE, routing_key="#")


@dataclass
class Archive:
    settings: ArchiveSettings
    engine: AsyncEngine
    publisher: ConfirmingPublisher
    topology: Topology
    policy: PublisherPolicy
    dead_letters: DeadLetterSender
    writer: SqlArchiveWriter
    batcher: GroupCommit[ArchivedEvent, Outcome]
    queries: SqlArchiveQueries
    access_log: SqlAccessLog
    feeds: SqlFeedStore


def bootstrap(settings: ArchiveSettings) -> Archive:
    database_url = settings.database_url.get_secret_value()
    engine = create_engine(
        database_url, application_name=SERVICE, pool_size=settings.database_pool_size
    )
    topology = Topology(
        settings.broker_prefix,
        delivery_limit=settings.delivery_limit,
        partitions=settings.queue_partitions,
    )
    publisher = ConfirmingPublisher(
        settings.amqp_url.get_secret_value(), timeout=settings.publish_timeout, app_id=SERVICE
    )
    writer = SqlArchiveWriter(
        asyncpg_dsn(database_url), pool_size=settings.archive_ingest_pool_size
    )

    async def write(records: Sequence[ArchivedEvent]) -> list[Outcome]:
        return await archive_batch(records, writer)

    return Archive(
        settings=settings,
        engine=engine,
        publisher=publisher,
        topology=topology,
        policy=configured_policy(settings),
        dead_letters=DeadLetterSender(publisher, topology, SERVICE),
        writer=writer,
        batcher=GroupCommit(
            write,
            name="archive",
            max_size=settings.archive_batch_size,
            max_wait=settings.archive_batch_wait,
            concurrency=settings.archive_ingest_pool_size,
        ),
        queries=SqlArchiveQueries(engine),
        access_log=SqlAccessLog(engine),
        feeds=SqlFeedStore(engine),
    )
