"""Page 2, an item: its text in every language, counterparts, owners, period, status
history, hearings and meetings, and its timeline from the archive "as of" a date."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from services.console.adapters.service_client import NotFoundAtService, ServiceUnavailable
from services.console.entrypoints.web.dependencies import Clerk, ConsoleDep
from services.console.entrypoints.web.labels import N_
from services.console.entrypoints.web.rendering import render
from services.console.entrypoints.web.viewer import Viewer

router = APIRouter()
DONE = {
    "created": N_("The item was added to the work plan"),
    "updated": N_("The item was changed"),
    "status": N_("The item’s status was changed"),
    "scheduled": N_("The hearing was scheduled"),
    "rescheduled": N_("The hearing was rescheduled"),
    "cancelled": N_("The hearing was cancelled"),
    "held": N_("The hearing was recorded as held"),
    "meeting": N_("The meeting was recorded"),
}


async def session_of(console: ConsoleDep, viewer: Viewer, item: dict[str, Any]) -> dict[str, Any]:
    """The item's session (dates, time zone) from the planner."""
    for found in await console.planner.sessions(viewer.caller):
        if (found["committee"], found["code"]) == (item["committee"], item["session"]):
            return found
    raise NotFoundAtService(f"session {item['committee']}/{item['session']}")


@router.get("/items/{item_id}")
async def item_page(
    item_id: uuid.UUID,
    request: Request,
    console: ConsoleDep,
    viewer: Clerk,
    as_of: Annotated[str, Query(max_length=10)] = "",
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    t = viewer.translator
    item = await console.planner.item(viewer.caller, str(item_id))
    session = await session_of(console, viewer, item)
    zone = session["timezone"]
    organizations = {o["code"]: o for o in await console.planner.organizations(viewer.caller)}
    history = await _history(console, viewer, str(item_id), as_of, zone)
    context = {
        "title": t.text(item["title"]),
        "section": "work-plan",
        "item": item,
        "session": session,
        "zone": zone,
        "organizations": organizations,
        "hearings": sorted(item["hearings"], key=lambda h: h["starts_at"]),
        "meetings": sorted(item["meetings"], key=lambda m: m["held_at"]),
        "notice": t.gettext(DONE[done]) if done in DONE else None,
        "plan_key": f"{item['committee']}/{item['session']}",
        **history,
    }
    return render(request, "item.html", t, context, viewer=viewer)


async def _history(
    console: ConsoleDep, viewer: Viewer, item_id: str, as_of: str, zone: str
) -> dict[str, Any]:
    """The archive's part of the page; when it cannot be had, a message says why."""
    t = viewer.translator
    moment, as_of_error = _as_of(as_of, zone, t.gettext)
    history: dict[str, Any] = {
        "as_of": as_of,
        "as_of_error": as_of_error,
        "timeline": [],
        "status_history": [],
        "archived": None,
        "history_problem": None,
    }
    if "archive:read" not in viewer.caller.scopes:
        history["history_problem"] = t.gettext(
            "The history comes from the archive; your roles do not include it (analyst)."
        )
        return history
    try:
        archived = await console.archive.item(viewer.caller, item_id, moment)
    except ServiceUnavailable:
        history["history_problem"] = t.gettext(
            "The archive is not answering, so the history cannot be shown now. "
            "The rest of this page is up to date."
        )
        return history
    except NotFoundAtService:
        history["history_problem"] = (
            t.gettext("The item did not exist yet at that date.")
            if moment
            else t.gettext("The archive has not recorded this item yet. Reload in a moment.")
        )
        return history
    timeline = archived.get("timeline", [])
    history |= {
        "archived": archived,
        "timeline": list(reversed(timeline)),
        "status_history": [
            entry for entry in timeline if entry["type"] == "workplan.item.status_changed.v1"
        ],
    }
    return history


def _as_of(text: str, zone: str, gettext: Any) -> tuple[datetime | None, str | None]:
    """The end of the chosen day in the session's zone (``YYYY-MM-DD``)."""
    if not text:
        return None, None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None, gettext("Enter the date as year-month-day, like 2026-03-31")
    if not 1900 <= day.year <= 2200:
        return None, gettext("Enter the date as year-month-day, like 2026-03-31")
    end = datetime.combine(day + timedelta(days=1), time.min, ZoneInfo(zone))
    return min(end, datetime.now(UTC)), None


@router.get("/hearings/{hearing_id}")
async def hearing_page(hearing_id: uuid.UUID, console: ConsoleDep, viewer: Clerk) -> Response:
    """A hearing's address (used in calendar feeds and notices): its place on the item page."""
    hearing = await console.planner.hearing(viewer.caller, str(hearing_id))
    return RedirectResponse(f"/items/{hearing['item_id']}#hearing-{hearing_id}", status_code=303)
