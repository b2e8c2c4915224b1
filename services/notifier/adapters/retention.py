"""Keep the notifier's tables from growing without bound.

Inbox keys go after ``inbox_days`` (longer than any redelivery or replay window; the
deliveries' unique key still refuses a second notification after that); deliveries that
went out (sent) or were given up (failed, dead) go after ``delivery_days`` with their
attempts and digest entries; in-app notifications stay until their recipient is removed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

INBOX = text(
    "DELETE FROM notifier.inbox WHERE (source, event_id) IN ("
    " SELECT source, event_id FROM notifier.inbox"
    " WHERE received_at < now() - make_interval(days => :days) LIMIT :batch)"
)
DELIVERIES = text(
    "DELETE FROM notifier.deliveries WHERE id IN ("
    " SELECT id FROM notifier.deliveries WHERE status IN ('sent', 'failed', 'dead')"
    " AND created_at < now() - make_interval(days => :days) LIMIT :batch)"
)


@dataclass(frozen=True)
class NotifierRetention:
    engine: AsyncEngine
    inbox_days: int = 30
    delivery_days: int = 90
    interval_seconds: float = 3600.0
    batch: int = 2000

    async def sweep(self) -> tuple[int, int]:
        """Delete what is past its retention; returns (inbox keys, deliveries) deleted."""
        inbox = await self._delete(INBOX, self.inbox_days)
        deliveries = await self._delete(DELIVERIES, self.delivery_days)
        return inbox, deliveries

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                deleted = await self.sweep()
                if any(deleted):
                    log.info(
                        "retention sweep", extra={"inbox": deleted[0], "deliveries": deleted[1]}
                    )
            except Exception:  # the database may be down; try again next time
                log.exception("retention sweep failed")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.interval_seconds):
                    await stop.wait()

    async def _delete(self, statement: object, days: int) -> int:
        total = 0
        while True:
            async with self.engine.begin() as connection:
                result = await connection.execute(statement, {"days": days, "batch": self.batch})  # type: ignore[call-overload]
            total += int(result.rowcount)
            if result.rowcount < self.batch:
                return total
