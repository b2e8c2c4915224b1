"""Rebuilding the read models from the log, in one transaction (live ingest waits meanwhile)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from types import TracebackType
from typing import Self

import asyncpg

from services.archive.adapters.log_writer import SERVER_SETTINGS, apply_projections
from services.archive.adapters.orm import NO_ITEM
from services.archive.domain.projections import Projection
from services.archive.handlers.ports import LoggedEvent

READ_MODELS = "archive.items, archive.hearings, archive.meetings, archive.organizations"
COUNT_ORGANIZATIONS_FROM_LOG = f"""
INSERT INTO archive.organizations (
    code, item_id, classification, first_event_at, last_event_at, events
)
SELECT code, coalesce(item_id, '{NO_ITEM}'), coalesce(classification, 'internal'),
    min(time), max(time), count(*)
FROM archive.events, unnest(organizations) AS code
GROUP BY 1, 2, 3
"""  # noqa: S608 - built from a constant of ours
"""Every organisation's counts per item and classification, from the whole log."""


class SqlReadModelRebuild:
    """One connection and one transaction: truncate, replay the log, count organisations."""

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn

    async def __aenter__(self) -> Self:
        self._connection = await asyncpg.connect(self._dsn, server_settings=SERVER_SETTINGS)
        self._transaction = self._connection.transaction()
        await self._transaction.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if kind is None:
                await self._transaction.commit()
            else:
                await self._transaction.rollback()
        finally:
            await self._connection.close()

    async def reset(self) -> int:
        """Empty the read models (locking out live ingest); returns how many events to replay."""
        await self._connection.execute(f"TRUNCATE {READ_MODELS}")
        count = await self._connection.fetchval("SELECT count(*) FROM archive.events WHERE known")
        return int(count)

    async def replay(self, batch_size: int) -> AsyncIterator[list[LoggedEvent]]:
        """Known events of the log, in batches, partition by partition (order is immaterial)."""
        cursor = self._connection.cursor(
            "SELECT envelope::text AS envelope, time, position FROM archive.events "
            "WHERE known ORDER BY time, position",
            prefetch=batch_size,
        )
        batch: list[LoggedEvent] = []
        async for row in cursor:
            batch.append(LoggedEvent(row["envelope"], row["time"], row["position"]))
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    async def apply(self, applied: Sequence[tuple[Projection, datetime, int]]) -> None:
        await apply_projections(self._connection, applied)

    async def count_organizations(self) -> None:
        await self._connection.execute(COUNT_ORGANIZATIONS_FROM_LOG)
