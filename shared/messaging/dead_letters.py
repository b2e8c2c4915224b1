"""Dead letters with a reason: the message, unchanged, goes to the service's dead-letter queue.

A consumer that refuses a message (not a CloudEvent, unknown publisher, invalid data)
re-publishes it with confirms to the dead-letter exchange, its original headers kept and
``x-workplan-*`` headers saying why, and only then acks it. Messages that fail on every
delivery are dead-lettered by RabbitMQ itself after the delivery limit (``x-death``).
Both kinds can be listed and replayed (:mod:`shared.messaging.dead_letter_queue`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from shared.messaging.publisher import ConfirmingPublisher, OutgoingMessage
from shared.messaging.publisher_policy import ORIGINAL_USER_HEADER
from shared.messaging.received import ReceivedMessage
from shared.messaging.topology import Topology
from shared.observability.metrics import DEAD_LETTERS

REASON_HEADER = "x-workplan-error"
CODE_HEADER = "x-workplan-error-code"
SERVICE_HEADER = "x-workplan-service"
AT_HEADER = "x-workplan-dead-lettered-at"
ROUTING_KEY_HEADER = "x-workplan-original-routing-key"
EXCHANGE_HEADER = "x-workplan-original-exchange"


class DeadLetterSender:
    def __init__(self, publisher: ConfirmingPublisher, topology: Topology, service: str) -> None:
        self._publisher = publisher
        self._topology = topology
        self._service = service

    async def send(self, message: ReceivedMessage, *, reason: str, code: str) -> None:
        """Park the message with its reason; returns after the broker confirmed it.

        ``message.user_id`` is the broker user that sent it as the consumer determined it:
        it is kept in a header, since the dead letter itself is published by this service's
        own user (a replay then counts as sent by the original user)."""
        headers = {
            **message.headers,
            ORIGINAL_USER_HEADER: message.user_id or "",
            REASON_HEADER: reason[:4000],
            CODE_HEADER: code,
            SERVICE_HEADER: self._service,
            AT_HEADER: datetime.now(UTC).isoformat(),
            ROUTING_KEY_HEADER: message.routing_key,
            EXCHANGE_HEADER: message.exchange,
        }
        await self._publisher.publish(
            OutgoingMessage(
                exchange=self._topology.dead_letter_exchange,
                routing_key=self._service,
                body=message.body,
                content_type=message.content_type or "application/octet-stream",
                message_id=message.message_id,
                headers=headers,
            )
        )
        DEAD_LETTERS.labels(self._service, code).inc()
