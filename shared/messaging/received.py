"""A message as a consumer received it, independent of the client library."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ReceivedMessage:
    body: bytes
    content_type: str | None
    routing_key: str
    exchange: str
    message_id: str | None = None
    headers: Mapping[str, Any] = field(default_factory=dict)
    redelivered: bool = False
    user_id: str | None = None
    """The AMQP ``user_id`` property: the broker user that published it (RabbitMQ checks)."""
