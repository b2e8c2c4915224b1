"""``GET /api/v1/access-log``: who read restricted data, for auditors (``archive:audit``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from pydantic import StringConstraints

from services.archive.entrypoints.api.dependencies import (
    ArchiveDep,
    FormatDep,
    PageDep,
    QueryMoment,
)
from services.archive.entrypoints.api.formats import stream
from services.archive.handlers.audit import read_access_log
from services.archive.handlers.filters import AccessLogFilter
from shared.auth.http import require

router = APIRouter(prefix="/api/v1/access-log", tags=["audit"])
COLUMNS = ("id", "at", "principal", "method", "path", "query", "rows", "subjects")
Subject = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9._:-]+/[^\x00-\x1f]{1,500}$", max_length=512),
]

EXAMPLE = {
    "id": 17,
    "at": "2026-03-02T07:15:00.120000+00:00",
    "principal": "analyst-7",
    "method": "GET",
    "path": "/api/v1/items/5a1e2b3c-4d5e-4f60-8172-93a4b5c6d7e8",
    "query": "",
    "rows": 2,
    "subjects": [
        "item/5a1e2b3c-4d5e-4f60-8172-93a4b5c6d7e8",
        "hearing/9c2d4e6f-1a3b-4c5d-8e7f-0a1b2c3d4e5f",
    ],
}


@router.get(
    "",
    summary="Reads of restricted data, newest first",
    response_class=StreamingResponse,
    dependencies=[Depends(require("archive:audit"))],
    responses={
        200: {
            "description": "Entries (JSON array, CSV or JSON Lines): who read which restricted "
            "records, when, through which request.",
            "content": {
                "application/json": {"example": [EXAMPLE]},
                "text/csv": {},
                "application/x-ndjson": {},
            },
        }
    },
)
async def access_log(
    archive: ArchiveDep,
    chosen: FormatDep,
    page: PageDep,
    principal: Annotated[
        str | None, Query(max_length=256, pattern=r"^[^\x00]*$", description="Who read.")
    ] = None,
    subject: Annotated[
        Subject | None,
        Query(description="A record read: item/<id>, hearing/<id>, meeting/<id>."),
    ] = None,
    time_from: Annotated[QueryMoment | None, Query(description="Read at or after.")] = None,
    time_to: Annotated[QueryMoment | None, Query(description="Read at or before.")] = None,
) -> StreamingResponse:
    where = AccessLogFilter(
        principal=principal, subject=subject, time_from=time_from, time_to=time_to
    )
    entries = await read_access_log(archive.access_log, where, page)
    return stream(entries, chosen, COLUMNS)
