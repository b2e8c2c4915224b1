"""Page 8, the report: a session's work-plan progress from the archive (items by status,
each with its hearings and meetings), printable (``print.css`` hides the navigation and
forms) and as CSV (the archive's ``format=csv``, times in the session's time zone)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.adapters.service_client import NotFoundAtService
from services.console.entrypoints.web.dependencies import Analyst, ConsoleDep
from services.console.entrypoints.web.pages.plan_choice import choose_session, plan_key
from services.console.entrypoints.web.pages.work_plan import STATUS_ORDER, _widths
from services.console.entrypoints.web.rendering import render

router = APIRouter()
Plan = Annotated[str, Query(max_length=200)]


@router.get("/report")
async def report_page(
    request: Request, console: ConsoleDep, viewer: Analyst, plan: Plan = ""
) -> Response:
    t = viewer.translator
    sessions, chosen = await choose_session(console, viewer.caller, plan)
    context: dict[str, Any] = {
        "title": t.gettext("Report"),
        "section": "report",
        "sessions": sessions,
        "chosen": chosen,
        "report": None,
    }
    if chosen is None:
        return render(request, "report.html", t, context, viewer=viewer)
    key = plan_key(chosen)
    context |= {"plan_key": key, "plan_action": "/report", "plan_extra": []}
    try:
        report, organizations = await asyncio.gather(
            console.archive.report(viewer.caller, chosen["committee"], chosen["code"]),
            console.planner.organizations(viewer.caller),
        )
    except NotFoundAtService:
        return render(request, "report.html", t, context, viewer=viewer)
    counts: dict[str, int] = report["by_status"]
    total = int(report["items"])
    context |= {
        "report": report,
        "zone": chosen["timezone"],
        "total": total,
        "counts": [(code, counts.get(code, 0)) for code in STATUS_ORDER],
        "widths": _widths(counts, total),
        "done_share": counts.get("completed", 0) / total if total else 0.0,
        "groups": [
            (code, report["statuses"][code])
            for code in STATUS_ORDER
            if report["statuses"].get(code)
        ],
        "organizations": {o["code"]: o for o in organizations},
        "csv_link": f"/report.csv?plan={key}",
    }
    return render(request, "report.html", t, context, viewer=viewer)


@router.get("/report.csv")
async def report_csv(console: ConsoleDep, viewer: Analyst, plan: Plan = "") -> Response:
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
