"""``GET /api/v1/search``: one ranked search across items, hearings, meetings and events."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from services.archive.domain.text_query import PREFIX_MIN
from services.archive.entrypoints.api.dependencies import (
    ArchiveDep,
    FormatDep,
    QueryMoment,
    ViewerDep,
    audit,
)
from services.archive.entrypoints.api.formats import list_responses, stream
from services.archive.entrypoints.api.presenters import SEARCH_COLUMNS, search_document
from services.archive.handlers import queries
from services.archive.handlers.filters import EventFilter

router = APIRouter(prefix="/api/v1", tags=["search"])
SearchKind = Literal["item", "hearing", "meeting", "event"]

EXAMPLE = {
    "kind": "item",
    "id": "5a1e2b3c-4d5e-4f60-8172-93a4b5c6d7e8",
    "source": None,
    "type": "workplan.item.updated.v1",
    "subject": "item/5a1e2b3c-4d5e-4f60-8172-93a4b5c6d7e8",
    "time": "2026-01-22T09:30:00+00:00",
    "title": {"az": "Ədalət naminə Xocalıya kampaniyası", "en": "Justice for Khojaly campaign"},
    "rank": 0.61,
    "match": "stemmed",
    "snippet": "Ədalət naminə <mark>Xocalıya</mark> kampaniyası",
}


@router.get(
    "/search",
    summary="Ranked search with highlighted snippets",
    response_class=StreamingResponse,
    responses=list_responses(
        "Best matches first (JSON array, CSV or JSON Lines)",
        [EXAMPLE],
        more={422: {"description": "No words to search for, or a malformed parameter"}},
    ),
)
async def search(
    request: Request,
    archive: ArchiveDep,
    viewer: ViewerDep,
    chosen: FormatDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=500,
            description="Words to find, all of them, each in any of its forms. "
            "Azerbaijani-aware: `xocali` finds `Xocalı`, `Xocalıya`, `Xocalının`; "
            "`istanbul` finds `İstanbulda`; `komitə` finds `komitəsi`. English and Russian "
            "words match their inflected forms (`hearing` ↔ `hearings`, `парламент` ↔ "
            "`парламентской`).",
        ),
    ],
    prefix: Annotated[
        bool,
        Query(
            description="Search as you type: the last word also finds the words it begins "
            f"(`diaspo` → `diaspora`) once it has at least {PREFIX_MIN} letters; a shorter "
            "last word matches whole words only. Such matches rank after exact and stemmed "
            "ones (`match`: `prefix`)."
        ),
    ] = False,
    kind: Annotated[
        list[SearchKind] | None, Query(description="Only these kinds (repeatable).")
    ] = None,
    time_from: Annotated[QueryMoment | None, Query(description="Events at or after.")] = None,
    time_to: Annotated[QueryMoment | None, Query(description="Events at or before.")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> StreamingResponse:
    """Exact matches first (the words as written, diacritics and case aside), then stemmed
    ones (other forms of the words), then prefix ones; within each, by `ts_rank` (titles
    weigh most) over each kind's newest matches, newer first among equals. `match` says
    which; the words that matched are wrapped in `<mark>` in the snippet (the rest is
    HTML-escaped)."""
    where = EventFilter(time_from=time_from, time_to=time_to, prefix=prefix)
    kinds = kind or ["item", "hearing", "meeting", "event"]
    rows = await queries.search(archive.queries, q, viewer, kinds=kinds, where=where, limit=limit)
    await audit(request, archive, viewer, rows)
    return stream([search_document(row) for row in rows], chosen, SEARCH_COLUMNS)
