"""List and replay a service's dead-letter queue.

Listing fetches messages without acking and then closes the channel, so they all return
to the queue. Replay re-publishes a message, with confirms, to the exchange and routing
key it first arrived with (its reason headers removed), then acks it in the dead-letter
queue: a message is never lost between the two. The replayed message is sent by the
replaying user; the user that first sent it travels in ``x-workplan-original-user-id``,
which consumers believe only from the system's own user.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass
from typing import Any

import aio_pika
from aio_pika.abc import AbstractIncomingMessage, AbstractQueue

from shared.messaging.dead_letters import (
    AT_HEADER,
    CODE_HEADER,
    EXCHANGE_HEADER,
    REASON_HEADER,
    ROUTING_KEY_HEADER,
    SERVICE_HEADER,
)
from shared.messaging.publisher import ConfirmingPublisher, OutgoingMessage
from shared.messaging.publisher_policy import ORIGINAL_USER_HEADER
from shared.messaging.topology import Topology

_OUR_HEADERS = {
    REASON_HEADER,
    CODE_HEADER,
    SERVICE_HEADER,
    AT_HEADER,
    ROUTING_KEY_HEADER,
    EXCHANGE_HEADER,
    "x-death",
    "x-first-death-exchange",
    "x-first-death-queue",
    "x-first-death-reason",
    "x-last-death-exchange",
    "x-last-death-queue",
    "x-last-death-reason",
    "x-delivery-count",
}


@dataclass(frozen=True)
class DeadLetter:
    message_id: str | None
    code: str
    reason: str
    routing_key: str
    exchange: str
    dead_lettered_at: str | None
    content_type: str | None
    body: bytes
    headers: dict[str, Any]
    user_id: str | None = None
    """The broker user that published the dead letter (or, after RabbitMQ's own
    dead-lettering, the original message)."""

    @classmethod
    def of(cls, message: AbstractIncomingMessage) -> DeadLetter:
        headers = dict(message.headers or {})
        death = _first_death(headers)
        return cls(
            message_id=message.message_id,
            code=_text(headers.get(CODE_HEADER)) or f"broker:{_text(death.get('reason'))}",
            reason=_text(headers.get(REASON_HEADER))
            or f"dead-lettered by RabbitMQ ({_text(death.get('reason'))}) after "
            f"{death.get('count', '?')} deliveries",
            routing_key=_text(headers.get(ROUTING_KEY_HEADER)) or _first_routing_key(death),
            exchange=_text(headers.get(EXCHANGE_HEADER)) or _text(death.get("exchange")),
            dead_lettered_at=_text(headers.get(AT_HEADER)) or None,
            content_type=message.content_type,
            body=message.body,
            headers=headers,
            user_id=message.user_id,
        )


async def list_dead_letters(
    url: str, topology: Topology, service: str, limit: int = 100
) -> list[DeadLetter]:
    async with _dead_letter_queue(url, topology, service) as queue:
        found: list[DeadLetter] = []
        while len(found) < limit:
            message = await queue.get(no_ack=False, fail=False)
            if message is None:
                break
            found.append(DeadLetter.of(message))
        return found  # closing the channel returns every fetched message to the queue


async def replay_dead_letters(
    url: str,
    topology: Topology,
    service: str,
    *,
    message_ids: Collection[str] | None = None,
    limit: int = 10_000,
) -> int:
    """Re-publish dead letters (all, or those with the given message ids); returns how many."""
    publisher = ConfirmingPublisher(url, app_id=f"{service}-replay")
    await publisher.connect()
    replayed = 0
    try:
        async with _dead_letter_queue(url, topology, service) as queue:
            for _ in range(limit):
                message = await queue.get(no_ack=False, fail=False)
                if message is None:
                    break
                letter = DeadLetter.of(message)
                if message_ids is not None and letter.message_id not in message_ids:
                    continue  # left unacked: returns to the queue when the channel closes
                await publisher.publish(_original(letter, topology, replayed_by=publisher.user))
                await message.ack()
                replayed += 1
    finally:
        await publisher.close()
    return replayed


def _original(letter: DeadLetter, topology: Topology, *, replayed_by: str) -> OutgoingMessage:
    headers = {key: value for key, value in letter.headers.items() if key not in _OUR_HEADERS}
    if letter.user_id != replayed_by or ORIGINAL_USER_HEADER not in headers:
        # dead-lettered by RabbitMQ itself: the message is the original, and so is its user
        headers[ORIGINAL_USER_HEADER] = letter.user_id or ""
    return OutgoingMessage(
        exchange=letter.exchange or topology.events_exchange,
        routing_key=letter.routing_key,
        body=letter.body,
        content_type=letter.content_type or "application/octet-stream",
        message_id=letter.message_id,
        headers=headers,
    )


@contextlib.asynccontextmanager
async def _dead_letter_queue(
    url: str, topology: Topology, service: str
) -> AsyncIterator[AbstractQueue]:
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        yield await channel.declare_queue(topology.dead_letter_queue(service), passive=True)


def _first_death(headers: dict[str, Any]) -> dict[str, Any]:
    deaths = headers.get("x-death")
    if isinstance(deaths, list) and deaths and isinstance(deaths[0], dict):
        return deaths[0]
    return {}


def _first_routing_key(death: dict[str, Any]) -> str:
    keys = death.get("routing-keys")
    return _text(keys[0]) if isinstance(keys, list) and keys else ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode(errors="replace")
    return str(value)
