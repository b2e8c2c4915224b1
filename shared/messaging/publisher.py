"""Publishing that waits for the broker: confirms, ``mandatory`` with returns raising, persistence.

Every message carries the AMQP ``user_id`` of the connection's user: RabbitMQ refuses a
message whose ``user_id`` is not the connection's user, so consumers know who sent it.

A publish either returns after the broker's confirm (the message is on a durable queue), or
raises :class:`PublishFailed` saying why: unroutable (returned), refused (nack), or no answer
in time (connection down). Callers mark work done only after it returns.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aio_pika
from aio_pika.abc import AbstractExchange, AbstractRobustChannel, AbstractRobustConnection
from aio_pika.exceptions import AMQPError, ChannelClosed, DeliveryError, PublishError

from shared.messaging.broker_api import AmqpAccount


class PublishFailed(Exception):
    """The broker did not take responsibility for the message; ``reason`` says why."""

    def __init__(self, reason: str, *, unroutable: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unroutable = unroutable


@dataclass(frozen=True)
class OutgoingMessage:
    exchange: str
    routing_key: str
    body: bytes
    content_type: str
    message_id: str | None
    type: str | None = None
    timestamp: datetime | None = None
    headers: Mapping[str, Any] = field(default_factory=dict)


class ConfirmingPublisher:
    """One robust connection and a confirm channel; safe to use from many tasks at once."""

    def __init__(self, url: str, *, timeout: float = 10.0, app_id: str = "workplan") -> None:
        self._url = url
        self._timeout = timeout
        self._app_id = app_id
        self.user = AmqpAccount.of(url).user
        """The broker user this publisher connects as: every message's ``user_id``."""
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractRobustChannel | None = None
        self._exchanges: dict[str, AbstractExchange] = {}

    async def connect(self) -> None:
        self._connection = await aio_pika.connect_robust(
            self._url, client_properties={"connection_name": f"{self._app_id}-publisher"}
        )
        channel = await self._connection.channel(publisher_confirms=True, on_return_raises=True)
        self._channel = channel

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
        self._connection = None
        self._channel = None
        self._exchanges.clear()

    @property
    def is_connected(self) -> bool:
        return (
            self._connection is not None
            and not self._connection.is_closed
            and (self._channel is not None and not self._channel.is_closed)
        )

    async def publish(self, message: OutgoingMessage) -> None:
        """Publish persistently and wait for the confirm, or raise :class:`PublishFailed`."""
        try:
            async with asyncio.timeout(self._timeout):
                exchange = await self._exchange(message.exchange)
                await exchange.publish(
                    aio_pika.Message(
                        body=message.body,
                        content_type=message.content_type,
                        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                        message_id=message.message_id,
                        type=message.type,
                        timestamp=message.timestamp,
                        app_id=self._app_id,
                        user_id=self.user,
                        headers=dict(message.headers),
                    ),
                    routing_key=message.routing_key,
                    mandatory=True,
                )
        except PublishError as exc:
            raise PublishFailed(
                f"unroutable: no queue is bound for {message.routing_key!r} "
                f"on exchange {message.exchange!r}",
                unroutable=True,
            ) from exc
        except DeliveryError as exc:
            raise PublishFailed(f"refused by the broker: {exc}") from exc
        except TimeoutError as exc:
            raise PublishFailed(f"no confirm within {self._timeout:g} s") from exc
        except ChannelClosed as exc:  # ACCESS_REFUSED, PRECONDITION_FAILED (user_id), ...
            raise PublishFailed(f"refused by the broker: {_closing_reason(exc)}") from exc
        except (AMQPError, ConnectionError, RuntimeError) as exc:
            raise PublishFailed(f"broker unavailable: {exc!r}") from exc

    async def _exchange(self, name: str) -> AbstractExchange:
        if self._channel is None:
            raise PublishFailed("publisher is not connected")
        exchange = self._exchanges.get(name)
        if exchange is None:
            exchange = await self._channel.get_exchange(name, ensure=False)
            self._exchanges[name] = exchange
        return exchange


def _closing_reason(exc: ChannelClosed) -> str:
    """The broker's own words (``ACCESS_REFUSED - access to exchange ...``), if it gave any."""
    return next((arg for arg in exc.args if isinstance(arg, str) and " - " in arg), repr(exc))
