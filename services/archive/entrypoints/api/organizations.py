"""``GET /api/v1/organizations/{code}/activity``: what the archive holds about a counterpart."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse

from services.archive.entrypoints.api.dependencies import (
    ArchiveDep,
    AsOf,
    FormatDep,
    ViewerDep,
    audit,
)
from services.archive.entrypoints.api.formats import jsonable, list_responses, stream
from services.archive.entrypoints.api.presenters import ACTIVITY_COLUMNS, activity_document
from services.archive.entrypoints.api.states import DateFrom, DateTo, Text
from services.archive.handlers import queries
from services.archive.handlers.filters import StateFilter
from shared.contract.values import CommitteeCode, SessionCode

router = APIRouter(prefix="/api/v1/organizations", tags=["organizations"])
CODE = r"^[A-Z0-9][A-Z0-9-]{0,39}$"


@router.get(
    "/{code}/activity",
    summary="Items, hearings and meetings naming an organisation",
    response_class=StreamingResponse,
    responses=list_responses(
        "Newest first. Headers `X-Organization-Events`, `X-Organization-First-Event`, "
        "`X-Organization-Last-Event` give its counts.",
        more={404: {"description": "No event names this organisation"}},
    ),
)
async def activity(
    request: Request,
    archive: ArchiveDep,
    viewer: ViewerDep,
    chosen: FormatDep,
    code: Annotated[str, Path(pattern=CODE, description="Organisation code, e.g. PACE")],
    committee: CommitteeCode | None = None,
    session: SessionCode | None = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    q: Text = None,
    as_of: AsOf = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> StreamingResponse:
    where = StateFilter(
        committee=committee, session=session, date_from=date_from, date_to=date_to, text=q,
        as_of=as_of,
    )  # fmt: skip
    organization, rows = await queries.organization_activity(
        archive.queries, code, where, viewer, limit
    )
    await audit(request, archive, viewer, rows)
    headers = {
        "X-Organization-Events": str(organization["events"]),
        "X-Organization-First-Event": jsonable(organization["first_event_at"]),
        "X-Organization-Last-Event": jsonable(organization["last_event_at"]),
    }
    documents = [activity_document(row) for row in rows]
    return stream(documents, chosen, ACTIVITY_COLUMNS, headers=headers)
