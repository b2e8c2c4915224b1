"""One pass of the delivery worker: claim due deliveries, send them, record every attempt."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
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


async def deliver_due(
    queue: DeliveryQueue,
    senders: Mapping[Channel, ChannelSender],
    schedule: RetrySchedule,
    *,
    limit: int,
    lease_seconds: float,
    clock: Callable[[], datetime],
) -> DeliveryPass:
    """Send what is due; a send still running when the lease nears its end counts as failed."""
    due = await queue.claim(limit, lease_seconds)
    if not due:
        return DeliveryPass((), ())
    tasks = [asyncio.create_task(_attempt(delivery, senders)) for delivery in due]
    done, late = await asyncio.wait(tasks, timeout=lease_seconds * 0.8)
    for task in late:
        task.cancel()
    results = [
        task.result()
        if task in done
        else AttemptResult.transient("no answer before the delivery's lease ran out")
        for task in tasks
    ]
    now = clock()
    steps = [schedule.decide(d, r, now) for d, r in zip(due, results, strict=True)]
    await queue.record(steps)
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
