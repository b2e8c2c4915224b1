"""``GET /api/v1/items``, ``/items/{id}``, ``/hearings``, ``/hearings/{id}``, ``/meetings``.

Each from the read models, or with ``as_of`` from the log: the state at that moment.
"""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from services.archive.domain.projections import Kind
from services.archive.entrypoints.api.dependencies import (
    ArchiveDep,
    AsOf,
    FormatDep,
    PageDep,
    ViewerDep,
    audit,
)
from services.archive.entrypoints.api.formats import jsonable, list_responses, stream
from services.archive.entrypoints.api.presenters import (
    STATE_COLUMNS,
    event_document,
    for_staff,
    state_document,
)
from services.archive.handlers import queries
from services.archive.handlers.filters import StateFilter
from shared.contract.values import (
    CommitteeCode,
    Day,
    HearingStatus,
    ItemCategory,
    ItemStatus,
    OrganizationCode,
    SessionCode,
)

router = APIRouter(prefix="/api/v1")
TOTAL_COUNT = "X-Total-Count"
LIST_RESPONSES = list_responses(
    "JSON array, CSV (fixed columns) or JSON Lines; `X-Total-Count` gives the whole list's size",
    headers={
        TOTAL_COUNT: {
            "description": "How many the whole list holds (every page)",
            "schema": {"type": "integer", "minimum": 0},
        }
    },
)
READ_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"description": "None (or restricted, or not yet at `as_of`)"},
    422: {"description": "A parameter is malformed"},
}
Text = Annotated[str | None, Query(min_length=1, max_length=500, description="Free text.")]
DateFrom = Annotated[Day | None, Query(description="Range start (YYYY-MM-DD).")]
DateTo = Annotated[Day | None, Query(description="Range end, inclusive (YYYY-MM-DD).")]


async def _list(
    request: Request, archive: ArchiveDep, viewer: ViewerDep, kind: Kind, where: StateFilter,
    page: PageDep, chosen: FormatDep,
) -> StreamingResponse:  # fmt: skip
    rows = await queries.list_states(archive.queries, kind, where, viewer, page)
    total = await queries.count_states(archive.queries, kind, where, viewer)
    await audit(request, archive, viewer, [{**row, "kind": kind} for row in rows])
    documents = [state_document(kind, row) for row in rows]
    if chosen == "csv":  # for staff: local times
        documents = [for_staff(document) for document in documents]
    return stream(documents, chosen, STATE_COLUMNS[kind], headers={TOTAL_COUNT: str(total)})


@router.get(
    "/items",
    tags=["items"],
    summary="Work-plan items",
    response_class=StreamingResponse,
    responses=LIST_RESPONSES,
)
async def list_items(
    request: Request,
    archive: ArchiveDep,
    viewer: ViewerDep,
    page: PageDep,
    chosen: FormatDep,
    committee: CommitteeCode | None = None,
    session: SessionCode | None = None,
    status: ItemStatus | None = None,
    category: ItemCategory | None = None,
    organization: OrganizationCode | None = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    q: Text = None,
    as_of: AsOf = None,
) -> StreamingResponse:
    """Items, most recently changed first; ``date_from``/``date_to`` overlap their period."""
    where = StateFilter(
        committee=committee, session=session, status=status, category=category,
        organization=organization, date_from=date_from, date_to=date_to, text=q,
        as_of=as_of,
    )  # fmt: skip
    return await _list(request, archive, viewer, "item", where, page, chosen)


@router.get("/items/{item_id}", tags=["items"], responses=READ_RESPONSES)
async def get_item(
    item_id: uuid.UUID, request: Request, archive: ArchiveDep, viewer: ViewerDep, as_of: AsOf = None
) -> dict[str, Any]:
    """The item with its hearings, meetings and a timeline of every event about it."""
    detail = await queries.item_detail(archive.queries, item_id, viewer, as_of)
    await audit(
        request,
        archive,
        viewer,
        [
            {**detail.item, "kind": "item"},
            *({**row, "kind": "hearing"} for row in detail.hearings),
            *({**row, "kind": "meeting"} for row in detail.meetings),
            *detail.timeline,
        ],
    )
    document = state_document("item", detail.item)
    document["hearings"] = [state_document("hearing", row) for row in detail.hearings]
    document["meetings"] = [state_document("meeting", row) for row in detail.meetings]
    document["timeline"] = [_timeline_entry(row) for row in detail.timeline]
    result: dict[str, Any] = jsonable(document)
    return result


def _timeline_entry(row: dict[str, Any]) -> dict[str, Any]:
    document = event_document(row)
    document["event"] = json.loads(row["envelope"])
    return document


@router.get(
    "/hearings",
    tags=["hearings"],
    summary="Hearings",
    response_class=StreamingResponse,
    responses=LIST_RESPONSES,
)
async def list_hearings(
    request: Request,
    archive: ArchiveDep,
    viewer: ViewerDep,
    page: PageDep,
    chosen: FormatDep,
    committee: CommitteeCode | None = None,
    session: SessionCode | None = None,
    status: HearingStatus | None = None,
    organization: OrganizationCode | None = None,
    item_id: uuid.UUID | None = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    q: Text = None,
    as_of: AsOf = None,
) -> StreamingResponse:
    """Hearings, latest start first; ``date_from``/``date_to`` bound the start."""
    where = StateFilter(
        committee=committee, session=session, status=status, organization=organization,
        item_id=item_id, date_from=date_from, date_to=date_to, text=q,
        as_of=as_of,
    )  # fmt: skip
    return await _list(request, archive, viewer, "hearing", where, page, chosen)


@router.get("/hearings/{hearing_id}", tags=["hearings"], responses=READ_RESPONSES)
async def get_hearing(
    hearing_id: uuid.UUID,
    request: Request,
    archive: ArchiveDep,
    viewer: ViewerDep,
    as_of: AsOf = None,
) -> dict[str, Any]:
    row = await queries.get_state(archive.queries, "hearing", str(hearing_id), viewer, as_of)
    await audit(request, archive, viewer, [{**row, "kind": "hearing"}])
    result: dict[str, Any] = jsonable(state_document("hearing", row))
    return result


@router.get(
    "/meetings",
    tags=["meetings"],
    summary="Meetings",
    response_class=StreamingResponse,
    responses=LIST_RESPONSES,
)
async def list_meetings(
    request: Request,
    archive: ArchiveDep,
    viewer: ViewerDep,
    page: PageDep,
    chosen: FormatDep,
    committee: CommitteeCode | None = None,
    session: SessionCode | None = None,
    organization: OrganizationCode | None = None,
    item_id: uuid.UUID | None = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    q: Text = None,
    as_of: AsOf = None,
) -> StreamingResponse:
    """Meetings, latest first; ``date_from``/``date_to`` bound when they were held."""
    where = StateFilter(
        committee=committee, session=session, organization=organization, item_id=item_id,
        date_from=date_from, date_to=date_to, text=q, as_of=as_of,
    )  # fmt: skip
    return await _list(request, archive, viewer, "meeting", where, page, chosen)
