"""Re-indexing the log's search documents in batches, one transaction each, while the
archive runs (events arriving meanwhile are written with the new document already)."""

# ruff: noqa: S608 - SQL is assembled from constants; every value is a bound parameter

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from types import TracebackType
from typing import Self

import asyncpg

from services.archive.adapters.log_writer import SEARCH_DOCUMENT, SERVER_SETTINGS
from services.archive.domain.records import SearchColumns
from services.archive.handlers.ports import LoggedEvent

FIRST_PAGE = """
SELECT envelope::text AS envelope, time, position FROM archive.events
ORDER BY time, position LIMIT $1
"""
NEXT_PAGE = """
SELECT envelope::text AS envelope, time, position FROM archive.events
WHERE (time, position) > ($2, $3) ORDER BY time, position LIMIT $1
"""
WRITE = f"""
UPDATE archive.events e SET search = n.search
FROM (
    SELECT b.time, b.position, {SEARCH_DOCUMENT} AS search
    FROM unnest(
        $1::timestamptz[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],
        $7::text[]
    ) AS b(time, position, title, body, english, russian, stems)
) n
WHERE e.time = n.time AND e.position = n.position AND e.search IS DISTINCT FROM n.search
"""


class SqlSearchReindex:
    """One connection; each page is read and written in its own short transaction."""

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn

    async def __aenter__(self) -> Self:
        self._connection = await asyncpg.connect(
            self._dsn, server_settings={**SERVER_SETTINGS, "application_name": "archive-reindex"}
        )
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._connection.close()

    async def count(self) -> int:
        return int(await self._connection.fetchval("SELECT count(*) FROM archive.events"))

    async def events(self, batch_size: int) -> AsyncIterator[list[LoggedEvent]]:
        """Every event, oldest first, a page at a time (keyset on the primary key)."""
        rows = await self._connection.fetch(FIRST_PAGE, batch_size)
        while rows:
            yield [LoggedEvent(row["envelope"], row["time"], row["position"]) for row in rows]
            last = rows[-1]
            rows = await self._connection.fetch(
                NEXT_PAGE, batch_size, last["time"], last["position"]
            )

    async def write(self, documents: Sequence[tuple[datetime, int, SearchColumns]]) -> int:
        columns: list[list[object]] = [[] for _ in range(7)]
        for time, position, search in documents:
            for column, value in zip(columns, (time, position, *search), strict=True):
                column.append(value)
        status = await self._connection.execute(WRITE, *columns)
        return int(status.split()[-1])
