"""Dependencies of the API routes, declared once as ``Annotated`` aliases."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Query, Request, status

from services.archive.bootstrap import Archive
from services.archive.entrypoints.api.formats import Format, negotiate
from services.archive.handlers.filters import Cursor, Page, Viewer
from services.archive.handlers.ports import Row
from services.archive.handlers.queries import restricted_subjects
from shared.auth.http import require
from shared.auth.tokens import Principal

MAX_LIMIT = 1000


def get_archive(request: Request) -> Archive:
    archive: Archive = request.app.state.archive
    return archive


def get_viewer(principal: Annotated[Principal, Depends(require("archive:read"))]) -> Viewer:
    return Viewer(principal=principal.subject, cleared=principal.has("archive:restricted"))


def get_page(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows per page.")] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip.")] = 0,
) -> Page:
    return Page(limit=limit, offset=offset)


def get_format(
    format: Annotated[
        Format | None,
        Query(description="json (default), csv or jsonl; overrides the Accept header."),
    ] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Format:
    return negotiate(format, accept)


ArchiveDep = Annotated[Archive, Depends(get_archive)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]
PageDep = Annotated[Page, Depends(get_page)]
FormatDep = Annotated[Format, Depends(get_format)]
AsOf = Annotated[
    datetime | None,
    Query(description="The state at this moment (RFC 3339), computed from the log."),
]


def encode_cursor(cursor: Cursor) -> str:
    raw = json.dumps([cursor.time.isoformat(), cursor.position]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str) -> Cursor:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        moment, position = json.loads(raw)
        cursor = Cursor(datetime.fromisoformat(moment), int(position))
    except (binascii.Error, ValueError, TypeError) as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "cursor is not one this API gave out; start again without it",
        ) from exc
    if cursor.time.tzinfo is None:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "cursor is malformed")
    return cursor


def aware(value: datetime | None, name: str) -> datetime | None:
    """Timestamps must carry their UTC offset; a naive one is ambiguous."""
    if value is not None and value.tzinfo is None:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"{name} needs a UTC offset, e.g. 2026-03-12T11:00:00+04:00 or ...Z",
        )
    return value


async def audit(request: Request, archive: Archive, viewer: Viewer, rows: Sequence[Row]) -> None:
    """Record in the access log a response that shows restricted data."""
    subjects = restricted_subjects(rows)
    if subjects:
        await archive.access_log.record(
            principal=viewer.principal,
            method=request.method,
            path=request.url.path,
            query=request.url.query,
            subjects=subjects,
        )
