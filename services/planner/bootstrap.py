"""The planner's composition root: the one place that builds and wires its dependencies."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from services.planner.adapters.records import SCHEMA
from services.planner.adapters.repositories import KnownOrganizations
from services.planner.adapters.unit_of_work import SqlUnitOfWork
from services.planner.settings import PlannerSettings
from shared.db.pool import Database, asyncpg_dsn
from shared.db.retention import RetentionSweeper
from shared.messaging.dead_letters import DeadLetterSender
from shared.messaging.outbox_handoff import OutboxHandoff
from shared.messaging.outbox_relay import OutboxRelay
from shared.messaging.publisher import ConfirmingPublisher
from shared.messaging.publisher_policy import PublisherPolicy, configured_policy
from shared.messaging.topology import ConsumerBinding, Topology
from shared.runtime.own_loop import Worker, on_own_loop
from shared.settings import PLANNER_SOURCE

log = logging.getLogger(__name__)

SERVICE = "planner"
BINDING = ConsumerBinding(SERVICE, routing_key="workplan.meeting.#")


@dataclass
class Planner:
    settings: PlannerSettings
    database: Database
    """Everything the planner stores: SQL of its own on asyncpg (no SQLAlchemy at run time)."""
    publisher: ConfirmingPublisher
    topology: Topology
    policy: PublisherPolicy
    relay: Worker
    """The outbox relay, on a thread and event loop of its own (off the API's loop)."""
    dead_letters: DeadLetterSender
    retention: RetentionSweeper
    handoff: OutboxHandoff
    """Committed outbox rows, from the unit of work straight to the relay."""
    known_organizations: KnownOrganizations = field(default_factory=KnownOrganizations)
    source: str = PLANNER_SOURCE

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(
            self.database,
            source=self.source,
            handoff=self.handoff,
            known_organizations=self.known_organizations,
        )

    async def close(self) -> None:
        await self.database.close()


def bootstrap(settings: PlannerSettings) -> Planner:
    database_url = settings.database_url.get_secret_value()
    database = Database(database_url, application_name=SERVICE, size=settings.database_pool_size)
    topology = Topology(
        settings.broker_prefix,
        delivery_limit=settings.delivery_limit,
        partitions=settings.queue_partitions,
    )
    publisher = ConfirmingPublisher(
        settings.amqp_url.get_secret_value(), timeout=settings.publish_timeout, app_id=SERVICE
    )
    # a handed row is the relay's while a publish may take; then any relay may claim it
    handoff = OutboxHandoff(grace_seconds=settings.publish_timeout + 1)
    return Planner(
        settings=settings,
        database=database,
        publisher=publisher,
        topology=topology,
        policy=configured_policy(settings),
        relay=on_own_loop(f"{SERVICE}-outbox-relay", lambda: _relay(settings, topology, handoff)),
        dead_letters=DeadLetterSender(publisher, topology, SERVICE),
        retention=RetentionSweeper(
            database,
            SCHEMA,
            outbox_days=settings.outbox_retention_days,
            inbox_days=settings.inbox_retention_days,
        ),
        handoff=handoff,
    )


def _relay(
    settings: PlannerSettings, topology: Topology, handoff: OutboxHandoff
) -> tuple[Worker, Callable[[], Awaitable[None]]]:
    """The relay with a connection (and its LISTEN connection) and a publisher of its own
    loop."""
    database_url = settings.database_url.get_secret_value()
    database = Database(database_url, application_name=f"{SERVICE}-relay", size=2)
    publisher = ConfirmingPublisher(
        settings.amqp_url.get_secret_value(), timeout=settings.publish_timeout, app_id=SERVICE
    )
    relay = OutboxRelay(
        database=database,
        schema=SCHEMA,
        publisher=publisher,
        exchange=topology.events_exchange,
        service=SERVICE,
        listen_dsn=asyncpg_dsn(database_url),
        batch_size=settings.relay_batch_size,
        poll_interval=settings.relay_poll_interval,
    )

    async def run(stop: asyncio.Event) -> None:
        while not stop.is_set():  # the broker may not be up yet: the relay waits for it
            try:
                await publisher.connect()
                break
            except Exception:  # logged, tried again
                log.warning("the relay cannot reach the broker yet; retrying", exc_info=True)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(1.0):
                        await stop.wait()
        handoff.attach(asyncio.get_running_loop(), relay.receive)
        try:
            await relay.run(stop)
        finally:
            handoff.detach()

    async def close() -> None:
        await publisher.close()
        await database.close()

    return run, close
