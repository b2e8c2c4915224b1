"""What every consumer does with a message before and around its own effect.

1. Read the CloudEvent (structured or binary); 2. check its publisher is allowed to send
this type, as the broker user that sent it (AMQP ``user_id``); 3. apply it (the service's
handler records the inbox row in the same transaction as its effect), retrying while the
database or broker is unreachable.
A message refused at any step goes to the dead-letter queue with the reason, and the
consumer moves on to the next message. Anything else propagates, so the subscriber
nacks it and RabbitMQ redelivers it, up to the queue's delivery limit.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from dataclasses import replace

from shared.contract import CloudEvent, InvalidEvent
from shared.contract.amqp_binding import decode_message
from shared.db.pool import CONNECTION_LOST
from shared.messaging.dead_letters import DeadLetterSender
from shared.messaging.outcome import Outcome
from shared.messaging.publisher import PublishFailed
from shared.messaging.publisher_policy import PublisherPolicy
from shared.messaging.received import ReceivedMessage
from shared.observability.metrics import EVENTS_CONSUMED, EVENTS_DUPLICATE
from shared.observability.tracing import consuming

log = logging.getLogger(__name__)

EventHandler = Callable[[CloudEvent], Awaitable[Outcome]]


def is_transient(exc: BaseException) -> bool:
    """An outage that retrying will outlast: connection lost, server restarting, timeout."""
    if _sqlalchemy_transient(exc):
        return True
    if isinstance(exc, PublishFailed):
        return not exc.unroutable
    return isinstance(exc, (*CONNECTION_LOST, TimeoutError)) or (
        exc.__cause__ is not None and is_transient(exc.__cause__)
    )


def _sqlalchemy_transient(exc: BaseException) -> bool:
    """An outage as SQLAlchemy reports it; only where SQLAlchemy is loaded (the planner
    runs its SQL on asyncpg alone and never loads it)."""
    errors = sys.modules.get("sqlalchemy.exc")
    if errors is None:
        return False
    if isinstance(exc, errors.DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, errors.OperationalError | errors.InterfaceError)


class EventIntake:
    def __init__(
        self,
        *,
        service: str,
        policy: PublisherPolicy,
        dead_letters: DeadLetterSender,
        handle: EventHandler,
        max_outage_seconds: float = 600.0,
    ) -> None:
        self._service = service
        self._policy = policy
        self._dead_letters = dead_letters
        self._handle = handle
        self._max_outage = max_outage_seconds

    async def receive(self, message: ReceivedMessage) -> Outcome:
        sender = self._policy.sender_of(message)
        if sender != message.user_id:  # a replayed dead letter: its first sender's
            message = replace(message, user_id=sender)
        try:
            event = decode_message(message.body, message.headers, message.content_type)
            await self._policy.check_fresh(event, sender)
            with consuming(event, self._service):
                outcome = await self._with_retry(lambda: self._handle(event))
        except InvalidEvent as refused:
            reason, code = refused.reason, refused.code
            log.warning(
                "dead-lettered message %s: %s [%s]",
                message.message_id or "(no id)",
                reason,
                code,
                extra={"reason": reason, "code": code, "message_id": message.message_id},
            )
            await self._with_retry(lambda: self._dead_lettered(message, reason, code))
            return "dead_lettered"
        if outcome == "duplicate":
            EVENTS_DUPLICATE.labels(self._service).inc()
        else:
            EVENTS_CONSUMED.labels(self._service, event.type).inc()
        return outcome

    async def _dead_lettered(self, message: ReceivedMessage, reason: str, code: str) -> Outcome:
        await self._dead_letters.send(message, reason=reason, code=code)
        return "dead_lettered"

    async def _with_retry(self, attempt: Callable[[], Awaitable[Outcome]]) -> Outcome:
        delay, waited = 0.2, 0.0
        while True:
            try:
                return await attempt()
            except Exception as exc:
                if not is_transient(exc) or waited >= self._max_outage:
                    raise
                log.warning(
                    "transient failure, retrying",
                    extra={"error": repr(exc), "retry_in": delay, "service": self._service},
                )
                await asyncio.sleep(delay)
                waited += delay
                delay = min(delay * 2, 15.0)
