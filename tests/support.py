"""Helpers the tests share: a probe queue on the real broker, tokens, polling."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import aio_pika
import pytest
from aio_pika.abc import AbstractIncomingMessage
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.auth.tokens import mint_token
from shared.db.engine import create_engine
from shared.messaging.broker_api import BrokerApi, BrokerApiError
from shared.messaging.topology import Topology
from shared.settings import WorkplanSettings
from workplan.publisher_onboarding import OnboardingError, PublisherOnboarding

T = TypeVar("T")


async def delete_service_objects(
    url: str, topology: Topology, *services: str, dead_letters: bool = True
) -> None:
    """Remove the services' queues (their partitions too) and partition exchanges, so that
    events are unroutable again for them."""
    connection = await aio_pika.connect(url)
    async with connection:
        for service in services:
            queues = topology.declared_queues(service)
            if not dead_letters:
                queues.remove(topology.dead_letter_queue(service))
            for queue in queues:
                channel = await connection.channel()
                with contextlib.suppress(Exception):
                    await channel.queue_delete(queue)
            for exchange in topology.declared_exchanges(service):
                channel = await connection.channel()
                with contextlib.suppress(Exception):
                    await channel.exchange_delete(exchange)


class ProbeQueue:
    """A queue bound to the events exchange that collects what was published there."""

    def __init__(self, url: str, topology: Topology, routing_key: str = "#") -> None:
        self.url = url
        self.topology = topology
        self.routing_key = routing_key
        self.name = f"{topology.prefix}.probe-{uuid.uuid4().hex[:8]}"
        self.messages: list[AbstractIncomingMessage] = []

    async def __aenter__(self) -> ProbeQueue:
        self._connection = await aio_pika.connect(self.url)
        channel = await self._connection.channel()
        exchange = await channel.declare_exchange(
            self.topology.events_exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )
        self._queue = await channel.declare_queue(self.name, auto_delete=False, exclusive=True)
        await self._queue.bind(exchange, self.routing_key)
        await self._queue.consume(self._collect, no_ack=True)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._connection.close()

    async def _collect(self, message: AbstractIncomingMessage) -> None:
        self.messages.append(message)

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[AbstractIncomingMessage]:
        await eventually(lambda: _ready(len(self.messages) >= count), timeout=timeout)
        return self.messages


async def _ready(condition: bool) -> bool:
    return condition


async def eventually(
    check: Callable[[], Awaitable[T | bool | None]], timeout: float = 10.0, interval: float = 0.05
) -> T:
    """Poll until ``check`` returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result  # type: ignore[return-value]
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s (last: {result!r})")
        await asyncio.sleep(interval)


def bearer(settings: WorkplanSettings, *scopes: str) -> dict[str, str]:
    token = mint_token(settings, subject="test", scopes=scopes)
    return {"Authorization": f"Bearer {token}"}


_ENGINES: dict[str, AsyncEngine] = {}


def engine_of(service: Any) -> AsyncEngine:
    """A SQLAlchemy engine on a service's database, for a test to arrange and read rows with
    SQL (the planner itself runs on asyncpg alone); one per database, disposed of after
    the run (:func:`dispose_engines`)."""
    url = service.settings.database_url.get_secret_value()
    engine = _ENGINES.get(url)
    if engine is None:
        engine = _ENGINES[url] = create_engine(url, application_name="tests", pool_size=2)
    return engine


async def dispose_engines() -> None:
    while _ENGINES:
        _, engine = _ENGINES.popitem()
        await engine.dispose()


@contextlib.asynccontextmanager
async def publisher_onboarding(
    amqp_url: str, topology: Topology, *, reserved: set[str]
) -> AsyncIterator[PublisherOnboarding]:
    """Onboarding on the test broker; every publisher a test adds is removed after it.
    Skips the test when the broker's management API is not there."""
    api = BrokerApi.for_amqp(None, amqp_url)
    try:
        await api.exchanges()
    except BrokerApiError as exc:
        await api.close()
        pytest.skip(f"the broker's management API is not there: {exc.reason}")
    onboarding = PublisherOnboarding(api, topology, amqp_url, reserved=reserved)
    try:
        yield onboarding
    finally:
        for registration in await onboarding.list():
            with contextlib.suppress(OnboardingError):
                await onboarding.remove(registration.name)
        await api.close()
