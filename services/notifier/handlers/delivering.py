"""One pass of the delivery worker: claim due deliveries, send them, record every attempt.

Each attempt's outcome is recorded as soon as it is known, not after the whole claim: a
send that finished is in the journal (or being written, retried through a database
outage) while the others still go out, so a database restart mid-pass cannot leave a sent
e-mail looking unsent until its lease runs out and it is sent again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from services.notifier.domain.deliveries import (
    AttemptResult,
    DeliveryStep,
    DueDelivery,
    RetrySchedule,
)
from services.notifier.domain.subscriptions import Channel
from services.notifier.handlers.ports import ChannelSender, DeliveryQueue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryPass:
    claimed: Sequence[DueDelivery]
    steps: Sequence[DeliveryStep]


RecordStep = Callable[[DeliveryStep], Awaitable[None]]
"""Records one attempt's step (durably, before it returns); retries through outages."""


async def deliver_due(
    queue: DeliveryQueue,
    senders: Mapping[Channel, ChannelSender],
    schedule: RetrySchedule,
    *,
    record: RecordStep,
    limit: int,
    lease_seconds: float,
    clock: Callable[[], datetime],
) -> DeliveryPass:
    """Send what is due; a send still running when the lease nears its end counts as failed."""
    due = await queue.claim(limit, lease_seconds)
    if not due:
        return DeliveryPass((), ())

    async def attempt_and_record(delivery: DueDelivery) -> DeliveryStep:
        try:
            async with asyncio.timeout(lease_seconds * 0.8):
                result = await _attempt(delivery, senders)
        except TimeoutError:
            result = AttemptResult.transient("no answer before the delivery's lease ran out")
        step = schedule.decide(delivery, result, clock())
        await record(step)
        return step

    steps = await asyncio.gather(*(attempt_and_record(delivery) for delivery in due))
    return DeliveryPass(due, steps)


async def _attempt(due: DueDelivery, senders: Mapping[Channel, ChannelSender]) -> AttemptResult:
    if due.channel == "webhook" and not due.endpoint_enabled:
        return AttemptResult.permanent("the webhook endpoint is disabled or was removed")
    sender = senders.get(due.channel)
    if sender is None:
        return AttemptResult.permanent(f"nothing sends on the {due.channel} channel")
    try:
        return await sender.send(due)
    except Exception as exc:  # a sender bug must not lose the delivery: retry it later
        log.exception("delivery attempt failed unexpectedly", extra={"delivery": str(due.id)})
        return AttemptResult.transient(f"unexpected error: {type(exc).__name__}: {exc}")
