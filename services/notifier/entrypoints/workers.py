"""Background loops of the notifier process: delivering, and making the daily digests."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter as Tally
from collections.abc import Sequence

from prometheus_client import Counter

from services.notifier.bootstrap import Notifier
from services.notifier.domain.deliveries import DeliveryStep
from services.notifier.domain.subscriptions import Channel
from services.notifier.handlers.delivering import DeliveryPass, deliver_due
from services.notifier.handlers.digests import compose_digests
from services.notifier.handlers.ports import ChannelSender
from shared.db.group_commit import GroupCommit

log = logging.getLogger(__name__)

Senders = dict[Channel, ChannelSender]

DELIVERY_ATTEMPTS = Counter(
    "workplan_notifier_delivery_attempts_total",
    "Delivery attempts, by channel and the status they left the delivery in.",
    ["channel", "status"],
)


class DeliveryWorker:
    """``delivery_workers`` loops that claim due deliveries, send them and record the result.

    Wakes on ``NOTIFY`` when deliveries are queued and polls besides; keeps going through
    database, mail server and receiver outages (their state is in PostgreSQL).
    """

    def __init__(self, notifier: Notifier) -> None:
        self._notifier = notifier
        queue = notifier.queue

        async def write(steps: Sequence[DeliveryStep]) -> list[None]:
            await queue.record(steps)
            return [None] * len(steps)

        self._results = GroupCommit(
            write,
            name="delivery results",
            max_size=notifier.settings.delivery_batch_size,
            max_wait=0.002,
            concurrency=1,
            max_outage=notifier.settings.delivery_lease_seconds,
        )
        """Attempts' outcomes, each written as soon as it is known, together with those
        that finish meanwhile; written again while the database is unreachable."""

    async def run(self, stop: asyncio.Event) -> None:
        notifier = self._notifier
        async with notifier.mailer() as mailer, notifier.webhooks() as webhooks:
            senders: Senders = {"email": mailer, "webhook": webhooks}
            listener = asyncio.create_task(notifier.wake_up.listen(stop))
            loops = [
                asyncio.create_task(self._loop(stop, senders))
                for _ in range(notifier.settings.delivery_workers)
            ]
            try:
                await asyncio.gather(*loops)
            finally:
                listener.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await listener

    async def run_once(self, senders: Senders) -> DeliveryPass:
        notifier = self._notifier
        settings = notifier.settings
        result = await deliver_due(
            notifier.queue,
            senders,
            notifier.schedule,
            record=self._results.submit,
            limit=settings.delivery_batch_size,
            lease_seconds=settings.delivery_lease_seconds,
            clock=notifier.clock,
        )
        tally = Tally(
            (due.channel, step.status)
            for due, step in zip(result.claimed, result.steps, strict=True)
        )
        for (channel, status), count in tally.items():
            DELIVERY_ATTEMPTS.labels(channel, status).inc(count)
        return result

    async def _loop(self, stop: asyncio.Event, senders: Senders) -> None:
        settings = self._notifier.settings
        wake = self._notifier.wake_up.event
        while not stop.is_set():
            try:
                result = await self.run_once(senders)
            except Exception:  # the database may be down: log it, keep going
                log.exception("delivery pass failed; retrying")
                result = DeliveryPass((), ())
            if len(result.claimed) >= settings.delivery_batch_size:
                continue
            wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(settings.delivery_poll_interval):
                    await _first_of(wake, stop)


class MailServerCheck:
    """Connects to the mail server at start, so that an unreachable one is reported (once,
    at WARNING) before any e-mail is due, and every ``smtp_check_interval`` while it stays
    unreachable, so that ``/readyz`` shows when it is back even if nothing is being sent."""

    def __init__(self, notifier: Notifier) -> None:
        self._notifier = notifier

    async def run(self, stop: asyncio.Event) -> None:
        notifier = self._notifier
        async with notifier.mailer(connections=1) as mailer:
            while not stop.is_set():
                await mailer.check()
                if notifier.mail_watch.problem() is None:
                    return
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(notifier.settings.smtp_check_interval):
                        await stop.wait()


class DigestWorker:
    """Every ``digest_poll_interval``, queue the digests whose local hour has come."""

    def __init__(self, notifier: Notifier) -> None:
        self._notifier = notifier

    async def run(self, stop: asyncio.Event) -> None:
        notifier = self._notifier
        while not stop.is_set():
            try:
                made = await compose_digests(
                    notifier.uow,
                    notifier.renderer,
                    hour=notifier.settings.digest_hour,
                    now=notifier.clock(),
                )
                if made:
                    log.info("daily digests queued", extra={"digests": made})
            except Exception:  # the database may be down: try again next time
                log.exception("digest pass failed; retrying")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(notifier.settings.digest_poll_interval):
                    await stop.wait()


async def _first_of(*events: asyncio.Event) -> None:
    waiters = [asyncio.create_task(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
