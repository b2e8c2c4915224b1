"""The planner's composition root: the one place that builds and wires its dependencies."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from services.planner.adapters.orm import SCHEMA, outbox, start_mappers
from services.planner.adapters.unit_of_work import SqlUnitOfWork
from services.planner.settings import PlannerSettings
from shared.db.engine import asyncpg_dsn, create_engine, create_session_factory
from shared.db.retention import RetentionSweeper
from shared.messaging.dead_letters import DeadLetterSender
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
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    publisher: ConfirmingPublisher
    topology: Topology
    policy: PublisherPolicy
    relay: Worker
    """The outbox relay, on a thread and event loop of its own (off the API's loop)."""
    dead_letters: DeadLetterSender
    retention: RetentionSweeper
    source: str = PLANNER_SOURCE

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.session_factory, source=self.source)


def bootstrap(settings: PlannerSettings) -> Planner:
    start_mappers()
    database_url = settings.database_url.get_secret_value()
    engine = create_engine(
        database_url, application_name=SERVICE, pool_size=settings.database_pool_size
    )
    topology = Topology(settings.broker_prefix, delivery_limit=settings.delivery_limit)
    publisher = ConfirmingPublisher(
        settings.amqp_url.get_secret_value(), timeout=settings.publish_timeout, app_id=SERVICE
    )
    return Planner(
        settings=settings,
        engine=engine,
        session_factory=create_session_factory(engine),
        publisher=publisher,
        topology=topology,
        policy=configured_policy(settings),
        relay=on_own_loop(f"{SERVICE}-outbox-relay", lambda: _relay(settings, topology)),
        dead_letters=DeadLetterSender(publisher, topology, SERVICE),
        retention=RetentionSweeper(
            engine,
            SCHEMA,
            outbox_days=settings.outbox_retention_days,
            inbox_days=settings.inbox_retention_days,
        ),
    )


def _relay(
    settings: PlannerSettings, topology: Topology
) -> tuple[Worker, Callable[[], Awaitable[None]]]:
    """The relay with an engine (two connections) and a publisher of its own loop."""
    database_url = settings.database_url.get_secret_value()
    engine = create_engine(database_url, application_name=f"{SERVICE}-relay", pool_size=1)
    publisher = ConfirmingPublisher(
        settings.amqp_url.get_secret_value(), timeout=settings.publish_timeout, app_id=SERVICE
    )
    relay = OutboxRelay(
        engine=engine,
        table=outbox,
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
        await relay.run(stop)

    async def close() -> None:
        await publisher.close()
        await engine.dispose()

    return run, close
