"""``GET /api/v1/reports/work-plan``: the progress of a session's plan, as a JSON document or
as a table for staff (CSV or JSON Lines: one row per item, hearing and meeting, times in the
session's time zone)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from services.archive.entrypoints.api.dependencies import ArchiveDep, FormatDep, ViewerDep, audit
from services.archive.entrypoints.api.formats import Document, jsonable, list_responses, stream
from services.archive.entrypoints.api.presenters import TITLES, state_document
from services.archive.handlers import queries
from shared.contract.values import CommitteeCode, SessionCode

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])
COLUMNS = (
    "item_status", "item_ref", "kind", "id", "status", "starts", "ends", "time_zone",
    "location", "organizations", "classification", *TITLES,
)  # fmt: skip
"""The report as a table: an item's row, then one per hearing and meeting of it."""


@router.get(
    "/work-plan",
    summary="A session's plan: items by status, each with its hearings and meetings",
    response_class=JSONResponse,
    responses=list_responses(
        "JSON: the report document. CSV or JSON Lines: one row per item, hearing and meeting, "
        "times in the session's time zone (column `time_zone`).",
        more={404: {"description": "No items of that committee and session"}},
    ),
)
async def work_plan(
    request: Request,
    archive: ArchiveDep,
    viewer: ViewerDep,
    chosen: FormatDep,
    committee: CommitteeCode,
    session: SessionCode,
) -> Response:
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
    if chosen == "json":
        return JSONResponse(jsonable({**report, "statuses": statuses}))
    zone = _session_zone(statuses)
    rows = [row for items in statuses.values() for item in items for row in _rows(item, zone)]
    filename = f"work-plan-{committee}-{session}.{chosen}"
    return stream(
        rows,
        chosen,
        COLUMNS,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _session_zone(statuses: dict[str, list[Document]]) -> str:
    """The session's time zone, which its hearings carry; UTC when it has none yet."""
    for items in statuses.values():
        for item in items:
            for hearing in item["hearings"]:
                if hearing.get("timezone"):
                    return str(hearing["timezone"])
    return "UTC"


def _rows(item: Document, zone: str) -> list[Document]:
    common = {"item_status": item.get("status"), "item_ref": item.get("ref"), "time_zone": zone}
    rows = [
        common
        | _row(item, "item")
        | {"starts": item.get("period_start"), "ends": item.get("period_end")}
    ]
    for hearing in item["hearings"]:
        rows.append(
            common
            | _row(hearing, "hearing")
            | {
                "starts": _local(hearing.get("starts_at"), zone),
                "ends": _local(hearing.get("ends_at"), zone),
                "location": hearing.get("location"),
            }
        )
    for meeting in item["meetings"]:
        rows.append(
            common
            | _row(meeting, "meeting")
            | {"starts": _local(meeting.get("held_at"), zone), "location": meeting.get("location")}
        )
    return rows


def _row(document: Document, kind: str) -> Document:
    return {
        "kind": kind,
        "id": document.get("id"),
        "status": document.get("status"),
        "organizations": document.get("organizations"),
        "classification": document.get("classification"),
        "title": document.get("title"),
    }


def _local(moment: Any, zone: str) -> str | None:
    """``2026-03-12 11:00`` in the session's zone: what staff read in a spreadsheet."""
    if not moment:
        return None
    parsed = moment if isinstance(moment, datetime) else datetime.fromisoformat(str(moment))
    return f"{parsed.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M}"
