"""Dependencies of the API routes, declared once as ``Annotated`` aliases."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request, status

from services.archive.bootstrap import Archive
from services.archive.entrypoints.api.formats import Format, negotiate
from services.archive.handlers.filters import Cursor, Page, Viewer
from services.archive.handlers.ports import Row
from services.archive.handlers.queries import restricted_subjects
from shared.auth.http import require, require_any
from shared.auth.tokens import Principal
from shared.contract.values import Moment
from shared.runtime.logs import redact

MAX_LIMIT = 1000
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
"""The years a query's moment may name: those the planner plans for (``Moment``)."""
LOG_POSITIONS = range(-(2**63), 2**63)
"""A log position is a PostgreSQL ``bigint``."""


def get_archive(request: Request) -> Archive:
    archive: Archive = request.app.state.archive
    return archive


def get_viewer(principal: Annotated[Principal, Depends(require("archive:read"))]) -> Viewer:
    return Viewer(principal=principal.subject, cleared=principal.has("archive:restricted"))


CALENDAR_READER = require_any("archive:read", "archive:calendar")
"""Calendars (feeds, ``.ics`` files): analysts, and every staff member for their own."""


def get_calendar_viewer(principal: Annotated[Principal, Depends(CALENDAR_READER)]) -> Viewer:
    return Viewer(principal=principal.subject, cleared=principal.has("archive:restricted"))


def get_page(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows per page.")] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip.")] = 0,
) -> Page:
    return Page(limit=limit, offset=offset)


def get_format(
    request: Request,
    format: Annotated[
        Format | None,
        Query(description="json (default), csv or jsonl; overrides the Accept header."),
    ] = None,
) -> Format:
    """``format=``, else the ``Accept`` header (content negotiation, which OpenAPI describes
    by the response's media types, not as a parameter)."""
    return negotiate(format, request.headers.get("accept"))


ArchiveDep = Annotated[Archive, Depends(get_archive)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]
CalendarViewerDep = Annotated[Viewer, Depends(get_calendar_viewer)]
PageDep = Annotated[Page, Depends(get_page)]
FormatDep = Annotated[Format, Depends(get_format)]


QueryMoment = Moment
"""A moment in a query: RFC 3339 text with its UTC offset (a naive one is ambiguous; a number
is not a time), within the years 1900-2200, so that PostgreSQL never sees one it cannot
compare."""
AsOf = Annotated[
    QueryMoment | None,
    Query(description="The state at this moment (RFC 3339), computed from the log."),
]


def encode_cursor(cursor: Cursor) -> str:
    raw = json.dumps([cursor.time.isoformat(), cursor.position]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str) -> Cursor:
    """The cursor of a page this API gave out; a forged or damaged one is a 422.

    Its time must carry an offset and convert to UTC (it is compared with the log's times;
    not bounded to 1900-2200, since the log keeps events of any time), its position must be
    an integer (not a float, not a boolean) within ``bigint``.
    """
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        moment, position = json.loads(raw)
        time = datetime.fromisoformat(moment)
        in_utc = time.astimezone(UTC) if time.tzinfo is not None else None
    except (binascii.Error, ValueError, TypeError, OverflowError) as exc:
        raise _invalid_cursor() from exc
    if in_utc is None or type(position) is not int or position not in LOG_POSITIONS:
        raise _invalid_cursor()
    return Cursor(time, position)


def _invalid_cursor() -> HTTPException:
    return HTTPException(
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        "invalid cursor: not one this API gave out; start again without it",
    )


async def audit(request: Request, archive: Archive, viewer: Viewer, rows: Sequence[Row]) -> None:
    """Record in the access log a response that shows restricted data."""
    subjects = restricted_subjects(rows)
    if subjects:
        await archive.access_log.record(
            principal=viewer.principal,
            method=request.method,
            path=redact(request.url.path),
            query=redact(request.url.query),
            subjects=subjects,
        )
