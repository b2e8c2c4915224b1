"""Deliveries: one notification on one channel, and what each attempt to send it decides.

Status of a delivery, and of each entry of its journal:

- ``queued``: waiting for its first attempt (or resent by an operator);
- ``sent``: the mail server accepted it, or the receiver answered 2xx (inbox: stored);
- ``retrying``: an attempt failed; the next one is due at ``next_attempt_at``;
- ``failed``: an attempt failed for good (a 5xx reply to the recipient or message, a 410
  that disabled the endpoint, a webhook URL that cannot be requested): not retried, an
  operator may resend;
- ``dead``: every attempt of the retry schedule failed; an operator may resend.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from services.notifier.domain.subscriptions import Channel

DeliveryStatus = Literal["queued", "sent", "retrying", "failed", "dead"]
DELIVERY_STATUSES: tuple[DeliveryStatus, ...] = ("queued", "sent", "retrying", "failed", "dead")
PENDING: tuple[DeliveryStatus, ...] = ("queued", "retrying")
UNDELIVERED: tuple[DeliveryStatus, ...] = ("retrying", "failed", "dead")
"""What an operator looks at: deliveries that have not (yet) gone out after an attempt."""
MAX_RETRY_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Delivery:
    """A notification to send, with its content rendered when the event arrived."""

    id: uuid.UUID
    event_source: str
    event_id: str
    event_type: str
    subject: str | None
    recipient_id: uuid.UUID
    channel: Channel
    target: str
    """The e-mail address, the webhook URL, or the recipient id for the inbox."""
    content: bytes
    restricted: bool
    status: DeliveryStatus = "queued"
    endpoint_id: uuid.UUID | None = None
    message_id: str | None = None
    kind: Literal["event", "digest"] = "event"


@dataclass(frozen=True)
class DueDelivery:
    """A claimed delivery, with what its channel needs to send it."""

    id: uuid.UUID
    channel: Channel
    attempts: int
    """Attempts made before this one."""
    target: str
    content: bytes
    message_id: str | None = None
    endpoint_id: uuid.UUID | None = None
    endpoint_secret: str | None = None
    endpoint_enabled: bool = True


@dataclass(frozen=True)
class AttemptResult:
    """What one try to send said: sent, or why not and whether trying again may help."""

    outcome: Literal["sent", "transient", "permanent", "gone"]
    detail: str
    retry_after: timedelta | None = None

    @classmethod
    def sent(cls, detail: str) -> AttemptResult:
        return cls("sent", detail)

    @classmethod
    def transient(cls, detail: str, retry_after: timedelta | None = None) -> AttemptResult:
        return cls("transient", detail, retry_after)

    @classmethod
    def permanent(cls, detail: str) -> AttemptResult:
        return cls("permanent", detail)

    @classmethod
    def gone(cls, detail: str) -> AttemptResult:
        """The receiver said 410 Gone: stop sending to this endpoint."""
        return cls("gone", detail)


@dataclass(frozen=True)
class DeliveryStep:
    """What to record after an attempt: the new status, when to try next, the journal line."""

    delivery_id: uuid.UUID
    attempt: int
    status: DeliveryStatus
    detail: str
    next_attempt_at: datetime | None = None
    disable_endpoint: uuid.UUID | None = None


@dataclass(frozen=True)
class RetrySchedule:
    delays: tuple[float, ...]
    """Seconds before attempt 1, 2, …; the first is usually 0 (immediately)."""

    def decide(self, due: DueDelivery, result: AttemptResult, now: datetime) -> DeliveryStep:
        attempt = due.attempts + 1
        if result.outcome == "sent":
            return DeliveryStep(due.id, attempt, "sent", result.detail)
        if result.outcome == "gone":
            return DeliveryStep(
                due.id, attempt, "failed", result.detail, disable_endpoint=due.endpoint_id
            )
        if result.outcome == "permanent" or attempt >= len(self.delays):
            status: DeliveryStatus = "failed" if result.outcome == "permanent" else "dead"
            return DeliveryStep(due.id, attempt, status, result.detail)
        wait = timedelta(seconds=self.delays[attempt])
        if result.retry_after is not None:
            wait = max(wait, min(result.retry_after, MAX_RETRY_AFTER))
        return DeliveryStep(due.id, attempt, "retrying", result.detail, next_attempt_at=now + wait)
