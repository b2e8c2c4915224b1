"""The access log: who read restricted data, when, through which endpoint, about what."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.archive.adapters.orm import access_log
from services.archive.handlers.filters import AccessLogFilter, Page


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

    async def find(self, where: AccessLogFilter, page: Page) -> list[dict[str, Any]]:
        """Entries matching the filter, newest first."""
        statement: Select[Any] = select(access_log).order_by(
            access_log.c.at.desc(), access_log.c.id.desc()
        )
        if where.principal is not None:
            statement = statement.where(access_log.c.principal == where.principal)
        if where.subject is not None:
            statement = statement.where(access_log.c.subjects.contains([where.subject]))
        if where.time_from is not None:
            statement = statement.where(access_log.c.at >= where.time_from)
        if where.time_to is not None:
            statement = statement.where(access_log.c.at <= where.time_to)
        statement = statement.limit(page.limit).offset(page.offset)
        async with self._engine.connect() as connection:
            result = await connection.execute(statement)
            return [dict(row._mapping) for row in result]
