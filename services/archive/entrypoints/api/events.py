"""``GET /api/v1/events``: the log, newest first, with cursor pagination."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import StringConstraints

from services.archive.domain.text_query import PREFIX_MIN
from services.archive.entrypoints.api.dependencies import (
    MAX_LIMIT,
    ArchiveDep,
    FormatDep,
    QueryMoment,
    ViewerDep,
    audit,
    decode_cursor,
    encode_cursor,
)
from services.archive.entrypoints.api.formats import list_responses, stream
from services.archive.entrypoints.api.presenters import EVENT_COLUMNS, event_document, render_event
from services.archive.handlers import queries
from services.archive.handlers.filters import EventFilter
from shared.contract.values import OrganizationCode

router = APIRouter(prefix="/api/v1/events", tags=["events"])
EventType = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._:-]+\*?$", max_length=256)]

EXAMPLE = {
    "position": 1042,
    "time": "2026-03-02T07:15:00+00:00",
    "received_at": "2026-03-02T07:15:00.120000+00:00",
    "source": "urn:workplan:planner",
    "id": "d41f7a2e-3b6c-4e8d-9f01-2a3b4c5d6e7f",
    "type": "workplan.hearing.rescheduled.v1",
    "subject": "hearing/9c2d4e6f-1a3b-4c5d-8e7f-0a1b2c3d4e5f",
    "sequence": 2,
    "known": True,
    "mode": "structured",
    "classification": "public",
    "committee": "MM-IRIPT",
    "session": "2026-spring",
    "organizations": [],
    "item_id": "5a1e2b3c-4d5e-4f60-8172-93a4b5c6d7e8",
    "event": {"specversion": "1.0", "id": "d41f7a2e-…", "data": {"status": "rescheduled"}},
}


@router.get(
    "",
    summary="Archived events, newest first",
    response_class=StreamingResponse,
    responses=list_responses(
        "A page of events (JSON array, CSV or JSON Lines). The `Link` header (rel=next) "
        "and `X-Next-Cursor` give the next page when there may be one.",
        [EXAMPLE],
    ),
)
async def list_events(
    request: Request,
    archive: ArchiveDep,
    viewer: ViewerDep,
    chosen: FormatDep,
    type: Annotated[
        list[EventType] | None,
        Query(
            description="Event type; end with * for a prefix (workplan.hearing.*). Repeatable.",
        ),
    ] = None,
    source: Annotated[str | None, Query(max_length=1024)] = None,
    subject: Annotated[str | None, Query(max_length=512)] = None,
    item_id: uuid.UUID | None = None,
    time_from: Annotated[
        QueryMoment | None, Query(description="Events at or after (RFC 3339).")
    ] = None,
    time_to: Annotated[
        QueryMoment | None, Query(description="Events at or before (RFC 3339).")
    ] = None,
    organization: OrganizationCode | None = None,
    known: Annotated[bool | None, Query(description="false: only events of unknown types")] = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=500,
            description="Free text: every word, in any of its forms (as in `/search`).",
        ),
    ] = None,
    prefix: Annotated[
        bool,
        Query(
            description="Search as you type: the last word of `q` also finds the words it "
            f"begins, once it has at least {PREFIX_MIN} letters."
        ),
    ] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    cursor: Annotated[
        str | None, Query(max_length=200, description="From `X-Next-Cursor`.")
    ] = None,
) -> StreamingResponse:
    """Every event as it was received, with the fields extracted for queries."""
    where = EventFilter(
        types=tuple(type or ()),
        source=source,
        subject=subject,
        item_id=item_id,
        time_from=time_from,
        time_to=time_to,
        organization=organization,
        known=known,
        text=q,
        prefix=prefix,
    )
    after = decode_cursor(cursor) if cursor else None
    rows, following = await queries.list_events(archive.queries, where, viewer, limit, after)
    await audit(request, archive, viewer, rows)
    headers = {}
    if following is not None:
        token = encode_cursor(following)
        headers["X-Next-Cursor"] = token
        headers["Link"] = f'<{request.url.include_query_params(cursor=token)}>; rel="next"'
    documents = [event_document(row) for row in rows]
    return stream(documents, chosen, EVENT_COLUMNS, render=render_event, headers=headers)
