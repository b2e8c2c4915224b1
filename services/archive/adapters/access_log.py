"""The access log: who read restricted data, when, through which endpoint, about what."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from services.archive.adapters.orm import access_log


class SqlAccessLog:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def record(
        self, *, principal: str, method: str, path: str, query: str, subjects: Sequence[str]
    ) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                insert(access_log).values(
                    principal=principal,
                    method=method,
                    path=path,
                    query=query,
                    subjects=list(dict.fromkeys(subjects)),
                    rows=len(subjects),
                )
            )
