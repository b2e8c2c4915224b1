"""``GET /api/v1/reports/work-plan``: the progress of a session's plan."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from services.archive.entrypoints.api.dependencies import ArchiveDep, ViewerDep, audit
from services.archive.entrypoints.api.formats import jsonable
from services.archive.entrypoints.api.presenters import state_document
from services.archive.handlers import queries
from shared.contract.values import CommitteeCode, SessionCode

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])


@router.get(
    "/work-plan",
    summary="A session's plan: items by status, each with its hearings and meetings",
    responses={404: {"description": "No items of that committee and session"}},
)
async def work_plan(
    request: Request,
    archive: ArchiveDep,
    viewer: ViewerDep,
    committee: CommitteeCode,
    session: SessionCode,
) -> dict[str, Any]:
    report = await queries.work_plan_report(archive.queries, committee, session, viewer)
    shown: list[dict[str, Any]] = []
    statuses: dict[str, list[dict[str, Any]]] = {}
    for status, items in report["statuses"].items():
        statuses[status] = []
        for item in items:
            document = state_document("item", item)
            document["hearings"] = [state_document("hearing", h) for h in item["hearings"]]
            document["meetings"] = [state_document("meeting", m) for m in item["meetings"]]
            statuses[status].append(document)
            shown.extend([{**item, "kind": "item"}, *item["hearings"], *item["meetings"]])
    await audit(request, archive, viewer, shown)
    result: dict[str, Any] = jsonable({**report, "statuses": statuses})
    return result
