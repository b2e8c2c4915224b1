"""Fixtures of the notifier tests: settings, a clean schema, the running app, a real SMTP
server and a real HTTP receiver, and a publisher for events."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import text

from services.notifier.bootstrap import Notifier, bootstrap
from services.notifier.main import create_app
from services.notifier.settings import NotifierSettings
from shared.messaging.publisher import ConfirmingPublisher
from shared.messaging.topology import Topology
from tests.conftest import EXTERNAL_SOURCE
from tests.notifier.servers import HttpReceiver, SmtpServer
from tests.support import bearer, delete_service_objects

TABLES = (
    "notifications, digest_entries, delivery_attempts, deliveries, subscriptions, "
    "webhook_endpoints, recipients, mandatory_notices, subject_versions, item_classifications, inbox"
)
RETRY_SCHEDULE = [0.0, 0.3, 0.3, 0.3]
"""Four attempts, 0.3 s apart: the real schedule's shape, at a test's pace."""


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
async def receiver() -> AsyncIterator[HttpReceiver]:
    server = HttpReceiver()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(scope="session")
def notifier_settings(
    database_url: str, amqp_url: str, run_id: str, smtp_server: SmtpServer
) -> NotifierSettings:
    return NotifierSettings(
        database_url=SecretStr(database_url),
        amqp_url=SecretStr(amqp_url),
        broker_prefix=f"test-{run_id}",
        publishers={EXTERNAL_SOURCE: ["workplan.meeting.held.v1"]},
        smtp_port=smtp_server.port,
        smtp_timeout=5,
        mail_from="notices@workplan.test",
        public_base_url="https://notifier.workplan.test",
        links_base_url="https://workplan.test/api/v1",
        delivery_poll_interval=0.1,
        delivery_retry_schedule=RETRY_SCHEDULE,
        delivery_lease_seconds=20,
        webhook_timeout=3,
        digest_poll_interval=3600,
        log_json=False,
        graceful_timeout=5,
        delivery_limit=3,
        _env_file=None,
    )


@pytest.fixture
async def notifier(
    notifier_settings: NotifierSettings, smtp_server: SmtpServer, receiver: HttpReceiver
) -> AsyncIterator[Notifier]:
    """A composition over a clean notifier schema, with the test servers emptied."""
    built = bootstrap(notifier_settings)
    async with built.engine.begin() as connection:
        qualified = ", ".join(f"notifier.{table.strip()}" for table in TABLES.split(","))
        await connection.execute(text(f"TRUNCATE {qualified} RESTART IDENTITY CASCADE"))
    smtp_server.reset()
    receiver.reset()
    yield built
    await built.engine.dispose()


@pytest.fixture
async def notifier_app(
    notifier_settings: NotifierSettings, notifier: Notifier
) -> AsyncIterator[FastAPI]:
    """The notifier app with its lifespan running: consumer, delivery and digest workers.

    Its queue is deleted afterwards: it binds every event, and other tests of the run
    expect item and hearing events to be unroutable while nothing is bound.
    """
    async with running(notifier_settings) as application:
        yield application


@contextlib.asynccontextmanager
async def running(settings: NotifierSettings) -> AsyncIterator[FastAPI]:
    """A notifier app with its lifespan running, its queue deleted afterwards."""
    application = create_app(settings)
    try:
        async with application.router.lifespan_context(application):
            yield application
    finally:
        await delete_notifier_queue(
            settings.amqp_url.get_secret_value(), Topology(settings.broker_prefix)
        )


@contextlib.asynccontextmanager
async def client_of(application: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://notifier") as http:
        yield http


async def delete_notifier_queue(amqp_url: str, topology: Topology) -> None:
    await delete_service_objects(amqp_url, topology, "notifier", dead_letters=False)


@pytest.fixture
async def client(notifier_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(notifier_app) as http:
        yield http


@pytest.fixture
def admin(notifier_settings: NotifierSettings) -> dict[str, str]:
    return bearer(notifier_settings, "notifier:admin")


@pytest.fixture
async def publisher(amqp_url: str) -> AsyncIterator[ConfirmingPublisher]:
    publisher = ConfirmingPublisher(amqp_url, app_id="test-planner")
    await publisher.connect()
    yield publisher
    await publisher.close()


@pytest.fixture
def events_topology(notifier_settings: NotifierSettings) -> Topology:
    return Topology(notifier_settings.broker_prefix, delivery_limit=3)
