"""Test infrastructure: a real PostgreSQL and a real RabbitMQ, isolated per test run.

Connections come from ``WORKPLAN_TEST_DATABASE_URL`` / ``WORKPLAN_TEST_AMQP_URL`` when set
(this machine, CI), otherwise from testcontainers when a Docker engine is available. Each
run creates its own database and uses its own broker name prefix, and removes both.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator

import aio_pika
import asyncpg
import pytest
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from migrations.runner import upgrade
from services.planner.settings import PlannerSettings
from shared.messaging.topology import Topology
from tests.support import delete_service_objects, dispose_engines

EXTERNAL_SOURCE = "urn:test:gov:mfa"


@pytest.fixture(scope="session")
def server_urls() -> Iterator[tuple[str, str]]:
    database = os.environ.get("WORKPLAN_TEST_DATABASE_URL")
    amqp = os.environ.get("WORKPLAN_TEST_AMQP_URL")
    if database and amqp:
        yield database, amqp
        return
    if shutil.which("docker") is None:
        pytest.exit(
            "set WORKPLAN_TEST_DATABASE_URL and WORKPLAN_TEST_AMQP_URL, or run a Docker engine "
            "for testcontainers (scripts/test sets them for the local services)",
            returncode=2,
        )
    from testcontainers.postgres import PostgresContainer  # noqa: PLC0415
    from testcontainers.rabbitmq import RabbitMqContainer  # noqa: PLC0415

    with (
        PostgresContainer("postgres:16", driver="asyncpg") as pg,
        RabbitMqContainer("rabbitmq:3.13") as rabbit,
    ):
        amqp_url = (
            f"amqp://guest:guest@{rabbit.get_container_host_ip()}:{rabbit.get_exposed_port(5672)}/"
        )
        yield pg.get_connection_url(), amqp_url


@pytest.fixture(scope="session")
def run_id() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture(scope="session")
async def database_url(server_urls: tuple[str, str], run_id: str) -> AsyncIterator[str]:
    server = make_url(server_urls[0]).set(drivername="postgresql+asyncpg")
    name = f"workplan_test_{run_id}"
    admin = server.set(drivername="postgresql", database="postgres").render_as_string(False)
    connection = await asyncpg.connect(admin)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
    url = server.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    connection = await asyncpg.connect(admin)
    await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await connection.close()


@pytest.fixture(scope="session", autouse=True)
async def _engines_disposed() -> AsyncIterator[None]:
    """The tests' SQLAlchemy engines (:func:`tests.support.engine_of`) closed at the end."""
    yield
    await dispose_engines()


@pytest.fixture(scope="session")
async def amqp_url(server_urls: tuple[str, str], run_id: str) -> AsyncIterator[str]:
    url = server_urls[1]
    yield url
    await _delete_broker_objects(url, f"test-{run_id}")


async def _delete_broker_objects(url: str, prefix: str) -> None:
    """Remove every exchange and queue this run declared (names start with its prefix)."""
    topology = Topology(prefix)
    await delete_service_objects(url, topology, "planner", "archive", "notifier")
    connection = await aio_pika.connect(url)
    async with connection:
        for name in _PROBE_QUEUES:
            channel = await connection.channel()
            with contextlib.suppress(Exception):
                await channel.queue_delete(name)
        for exchange in (topology.events_exchange, topology.dead_letter_exchange):
            channel = await connection.channel()
            with contextlib.suppress(Exception):
                await channel.exchange_delete(exchange)


_PROBE_QUEUES: set[str] = set()


@pytest.fixture(scope="session")
def settings(database_url: str, amqp_url: str, run_id: str) -> PlannerSettings:
    return PlannerSettings(
        database_url=SecretStr(database_url),
        amqp_url=SecretStr(amqp_url),
        broker_prefix=f"test-{run_id}",
        publishers={EXTERNAL_SOURCE: ["workplan.meeting.held.v1"]},
        relay_poll_interval=0.2,
        log_json=False,
        graceful_timeout=5,
        delivery_limit=3,
        _env_file=None,
    )


@pytest.fixture(scope="session")
def topology(settings: PlannerSettings) -> Topology:
    return Topology(settings.broker_prefix, delivery_limit=settings.delivery_limit)


@pytest.fixture
def probe_queue_names() -> set[str]:
    return _PROBE_QUEUES
