"""Page 8, the report: a session's work-plan progress (counts and a bar), its items by
status with their hearings and meetings, printable (``print.css`` leaves out the menu and
forms), and as CSV (the archive's ``format=csv``, every row, times in the session's zone).

The page reads the planner (its summary counts; at most ``GROUP_SIZE`` items of each status,
or one status page by page; the session's hearings and meetings), so it stays quick for a
plan of thousands of items; the CSV holds all of them.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.adapters.service_client import NotFoundAtService
from services.console.entrypoints.web.dependencies import Clerk, ConsoleDep, ViewerDep
from services.console.entrypoints.web.pages.plan_choice import choose_session, plan_key
from services.console.entrypoints.web.pages.work_plan import STATUS_ORDER, _widths
from services.console.entrypoints.web.rendering import render

router = APIRouter()
Plan = Annotated[str, Query(max_length=200)]
GROUP_SIZE = 100
LINKED = 500
"""Hearings and meetings of the session read for the page at most (each)."""


@router.get("/report")
async def report_page(
    request: Request,
    console: ConsoleDep,
    viewer: Clerk,
    plan: Plan = "",
    status: Annotated[str, Query(max_length=20)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    t = viewer.translator
    caller = viewer.caller
    sessions, chosen = await choose_session(console, caller, plan)
    context: dict[str, Any] = {
        "title": t.gettext("Report"),
        "section": "report",
        "sessions": sessions,
        "chosen": chosen,
    }
    if chosen is None:
        return render(request, "report.html", t, context, viewer=viewer)
    committee, session = chosen["committee"], chosen["code"]
    key = plan_key(chosen)
    summary = await console.planner.summary(caller, committee, session)
    counts: dict[str, int] = summary["statuses"]
    shown = [status] if status in STATUS_ORDER else [c for c in STATUS_ORDER if counts.get(c)]
    offset = (page - 1) * GROUP_SIZE if status in STATUS_ORDER else 0
    found, (hearings, _h), (meetings, _m) = await asyncio.gather(
        asyncio.gather(*(
            console.planner.items(caller, committee, session, limit=GROUP_SIZE, offset=offset,
                                  filters={"status": code})
            for code in shown
        )),
        console.planner.hearings(caller, limit=LINKED, committee=committee, session=session),
        console.planner.meetings(caller, limit=LINKED, committee=committee),
    )  # fmt: skip
    by_item: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: {"hearings": [], "meetings": []}
    )
    for hearing in hearings:
        by_item[hearing["item_id"]]["hearings"].append(hearing)
    for meeting in meetings:
        if meeting.get("item_id"):
            by_item[meeting["item_id"]]["meetings"].append(meeting)
    total = int(summary["total"])
    context |= {
        "plan_key": key,
        "plan_action": "/report",
        "plan_extra": [],
        "zone": chosen["timezone"],
        "total": total,
        "counts": [(code, counts.get(code, 0)) for code in STATUS_ORDER],
        "widths": _widths(counts, total),
        "done_share": counts.get("completed", 0) / total if total else 0.0,
        "groups": [
            {
                "status": code,
                "count": counts.get(code, 0),
                "rows": items,
                "pages": max(1, -(-counts.get(code, 0) // GROUP_SIZE)),
                "page": page if status == code else 1,
            }
            for code, items in zip(shown, found, strict=True)
        ],
        "linked": by_item,
        "page_link": lambda code, number: (
            "/report?" + urlencode({"plan": key, "status": code, "page": number})
        ),
        "whole_link": f"/report?plan={key}",
        "one_status": status in STATUS_ORDER,
        "csv_link": f"/report.csv?plan={key}" if viewer.account.has("analyst") else None,
    }
    return render(request, "report.html", t, context, viewer=viewer)


@router.get("/report.csv")
async def report_csv(console: ConsoleDep, viewer: ViewerDep, plan: Plan = "") -> Response:
    """Every item, hearing and meeting of the session, from the archive (``archive:read``)."""
    _sessions, chosen = await choose_session(console, viewer.caller, plan)
    if chosen is None:
        raise NotFoundAtService("plan")
    made = await console.archive.report_csv(viewer.caller, chosen["committee"], chosen["code"])
    filename = f"work-plan-{chosen['committee']}-{chosen['code']}.csv"
    return Response(
        made.content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
