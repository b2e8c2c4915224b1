"""Keep the outbox and inbox from growing without bound.

Published outbox rows are kept ``outbox_days`` for inspection, then deleted; inbox keys
are kept ``inbox_days`` — longer than any redelivery or replay window — so duplicates
are still recognised. Deletes go in small batches so they never hold long locks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from shared.db.pool import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionSweeper:
    database: Database
    schema: str
    outbox_days: int = 7
    inbox_days: int = 30
    interval_seconds: float = 3600.0
    batch: int = 5000

    async def sweep(self) -> tuple[int, int]:
        """Delete what is past its retention; returns (outbox rows, inbox rows) deleted."""
        outbox = await self._delete(
            f"DELETE FROM {self.schema}.outbox WHERE position IN ("  # noqa: S608
            f" SELECT position FROM {self.schema}.outbox WHERE published_at IS NOT NULL"
            " AND published_at < now() - make_interval(days => $1) LIMIT $2)",
            self.outbox_days,
        )
        inbox = await self._delete(
            f"DELETE FROM {self.schema}.inbox WHERE (source, event_id) IN ("  # noqa: S608
            f" SELECT source, event_id FROM {self.schema}.inbox"
            " WHERE received_at < now() - make_interval(days => $1) LIMIT $2)",
            self.inbox_days,
        )
        return outbox, inbox

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                deleted = await self.sweep()
                if any(deleted):
                    log.info("retention sweep", extra={"outbox": deleted[0], "inbox": deleted[1]})
            except Exception:  # the database may be down; try again next time
                log.exception("retention sweep failed")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.interval_seconds):
                    await stop.wait()

    async def _delete(self, statement: str, days: int) -> int:
        total = 0
        while True:
            async with self.database.connection() as connection:
                status = await connection.execute(statement, days, self.batch)
            deleted = int(status.split()[-1])  # "DELETE 123"
            total += deleted
            if deleted < self.batch:
                return total
