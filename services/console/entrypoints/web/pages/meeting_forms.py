"""Page 3, recording a meeting with counterpart organisations, linked to its item."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.console.adapters.service_client import Refused
from services.console.bootstrap import Console
from services.console.entrypoints.web.dependencies import Clerk, ConsoleDep, checked_form
from services.console.entrypoints.web.forms import FormReader
from services.console.entrypoints.web.labels import CLASSIFICATIONS
from services.console.entrypoints.web.pages.items import session_of
from services.console.entrypoints.web.refusals import shown
from services.console.entrypoints.web.rendering import render
from services.console.entrypoints.web.viewer import Viewer

router = APIRouter()
MEETING_FIELDS = {
    "organizations": "organizations",
    "held_at": "date",
    "title": "title_az",
    "title.az": "title_az",
    "title.en": "title_en",
    "title.ru": "title_ru",
    "location": "location",
    "summary": "summary_az",
    "reported_by": "reported_by",
    "classification": "classification",
}


async def _page(
    request: Request,
    console: Console,
    viewer: Viewer,
    item: dict[str, Any],
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    t = viewer.translator
    session = await session_of(console, viewer, item)
    organizations = await console.planner.organizations(viewer.caller)
    context = {
        "title": t.gettext("Record a meeting"),
        "section": "work-plan",
        "item": item,
        "session": session,
        "zone": session["timezone"],
        "values": values,
        "errors": errors or {},
        "error_targets": {"date": "date-day"},
        "organization_options": [
            (o["code"], f"{o['code']} – {t.text(o['name'])}") for o in organizations
        ],
        "classification_options": [(c, t.gettext(label)) for c, label in CLASSIFICATIONS.items()],
    }
    return render(request, "meeting_form.html", t, context, viewer=viewer, status_code=status_code)


@router.get("/items/{item_id}/meetings/new")
async def new_meeting(
    item_id: uuid.UUID, request: Request, console: ConsoleDep, viewer: Clerk
) -> Response:
    item = await console.planner.item(viewer.caller, str(item_id))
    values = {"organizations": item["organizations"], "classification": "internal"}
    return await _page(request, console, viewer, item, values)


@router.post("/items/{item_id}/meetings/new")
async def record_meeting(
    item_id: uuid.UUID, request: Request, console: ConsoleDep, viewer: Clerk
) -> Response:
    form = await checked_form(request, viewer)
    item = await console.planner.item(viewer.caller, str(item_id))
    session = await session_of(console, viewer, item)
    t = viewer.translator
    reader = FormReader(form, t)
    organizations = reader.choices("organizations")
    if not organizations:
        reader.errors["organizations"] = t.gettext("Choose at least one organisation")
    day = reader.date("date", required=True, label=t.gettext("date"))
    at = reader.clock("time", label=t.gettext("time"))
    held_at = reader.moment(day, at, session["timezone"])
    body = {
        "item_id": str(item_id),
        "organizations": organizations,
        "held_at": held_at.isoformat() if held_at else None,
        "title": reader.localized("title"),
        "location": reader.text("location") or None,
        "summary": reader.localized("summary", limit=20_000),
        "reported_by": reader.text("reported_by") or viewer.account.display_name,
        "classification": reader.choice(
            "classification", list(CLASSIFICATIONS), t.gettext("Choose who may see the meeting")
        ),
    }
    if not reader.errors:
        try:
            await console.planner.record_meeting(viewer.caller, body)
        except Refused as refused:
            reader.errors |= shown(refused, MEETING_FIELDS, "date", t).errors
        else:
            return RedirectResponse(f"/items/{item_id}?done=meeting#meetings", status_code=303)
    return await _page(request, console, viewer, item, reader.values(), reader.errors, 400)
