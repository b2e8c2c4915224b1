"""The auditor's read of the access log."""

from __future__ import annotations

from services.archive.domain.errors import BadQuery
from services.archive.handlers.filters import AccessLogFilter, Page
from services.archive.handlers.ports import AccessLog, Row


async def read_access_log(log: AccessLog, where: AccessLogFilter, page: Page) -> list[Row]:
    """Who read restricted data, newest first, filtered by principal, record and time."""
    if where.time_from and where.time_to and where.time_from > where.time_to:
        raise BadQuery("time_from is after time_to")
    return await log.find(where, page)
