"""Page 3, forms on hearings: schedule, reschedule, cancel, mark held. Times are entered in
the session's time zone and sent with its offset; the planner's rules come back as errors
next to their fields, and an overlap names the other hearing with a link to it."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.console.adapters.service_client import NotFoundAtService, Refused
from services.console.bootstrap import Console
from services.console.entrypoints.web.dependencies import Clerk, ConsoleDep, checked_form
from services.console.entrypoints.web.forms import FormReader, local_parts
from services.console.entrypoints.web.labels import HEARING_FORMATS, N_
from services.console.entrypoints.web.pages.items import session_of
from services.console.entrypoints.web.refusals import shown
from services.console.entrypoints.web.rendering import render
from services.console.entrypoints.web.viewer import Viewer

router = APIRouter()
HEARING_FIELDS = {
    "starts_at": "date",
    "ends_at": "end_time",
    "title": "title_az",
    "title.az": "title_az",
    "title.en": "title_en",
    "title.ru": "title_ru",
    "location": "location",
    "format": "format",
    "reason": "reason",
    "summary": "summary_az",
    "held_at": "held_date",
}
TARGETS = {"date": "date-day", "held_date": "held_date-day"}


async def _page(
    request: Request,
    console: Console,
    viewer: Viewer,
    template: str,
    title: str,
    item: dict[str, Any],
    *,
    values: dict[str, Any],
    hearing: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    overlapping: str | None = None,
    status_code: int = 200,
) -> Response:
    t = viewer.translator
    session = await session_of(console, viewer, item)
    links = []
    if overlapping:
        links.append(
            (f"/hearings/{overlapping}", await _describe(console, viewer, overlapping, session))
        )
    context = {
        "title": title,
        "section": "work-plan",
        "item": item,
        "hearing": hearing,
        "session": session,
        "zone": session["timezone"],
        "values": values,
        "errors": errors or {},
        "error_targets": TARGETS,
        "error_links": links,
        "overlap_link": links[0] if links else None,
        "format_options": [(code, t.gettext(label)) for code, label in HEARING_FORMATS.items()],
    }
    return render(request, template, t, context, viewer=viewer, status_code=status_code)


async def _describe(
    console: Console, viewer: Viewer, hearing_id: str, session: dict[str, Any]
) -> str:
    """The other hearing, named: its title and time (or only that it exists, if hidden)."""
    t = viewer.translator
    try:
        other = await console.planner.hearing(viewer.caller, hearing_id)
    except NotFoundAtService:
        return t.gettext("The other hearing (you cannot see its details)")
    when = t.datetime(other["starts_at"], session["timezone"], "medium")
    return t.gettext(
        "The other hearing: “%(title)s”, %(when)s", title=t.text(other["title"]) or "–", when=when
    )


def _read_times(reader: FormReader, zone: str) -> tuple[str | None, str | None]:
    t = reader.t
    day = reader.date("date", required=True, label=t.gettext("date"))
    starts = reader.clock("start_time", label=t.gettext("start time"))
    ends = reader.clock("end_time", label=t.gettext("end time"))
    if starts and ends and ends <= starts:
        reader.errors["end_time"] = t.gettext("The end time must be after the start time")
    start, end = reader.moment(day, starts, zone), reader.moment(day, ends, zone)
    return (start.isoformat() if start else None), (end.isoformat() if end else None)


@router.get("/items/{item_id}/hearings/new")
async def new_hearing(
    item_id: uuid.UUID, request: Request, console: ConsoleDep, viewer: Clerk
) -> Response:
    item = await console.planner.item(viewer.caller, str(item_id))
    t = viewer.translator
    heading = t.gettext("Schedule a hearing")
    return await _page(request, console, viewer, "hearing_form.html", heading,
                       item, values={"format": "open"})  # fmt: skip


@router.post("/items/{item_id}/hearings/new")
async def schedule_hearing(
    item_id: uuid.UUID, request: Request, console: ConsoleDep, viewer: Clerk
) -> Response:
    form = await checked_form(request, viewer)
    item = await console.planner.item(viewer.caller, str(item_id))
    session = await session_of(console, viewer, item)
    t = viewer.translator
    reader = FormReader(form, t)
    starts_at, ends_at = _read_times(reader, session["timezone"])
    body: dict[str, Any] = {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "location": reader.text("location") or None,
        "format": reader.choice(
            "format", list(HEARING_FORMATS), t.gettext("Choose open or closed")
        ),
        "allow_overlap": form.get("allow_overlap") == "yes",
    }
    title = reader.localized("title")
    if title:
        body["title"] = title
    overlapping = None
    if not reader.errors:
        try:
            await console.planner.schedule_hearing(viewer.caller, str(item_id), body)
        except Refused as refused:
            result = shown(refused, HEARING_FIELDS, "date", t)
            reader.errors |= result.errors
            overlapping = result.overlapping_hearing
        else:
            return RedirectResponse(f"/items/{item_id}?done=scheduled#hearings", status_code=303)
    heading = t.gettext("Schedule a hearing")
    return await _page(request, console, viewer, "hearing_form.html", heading,
                       item, values=reader.values(), errors=reader.errors, overlapping=overlapping,
                       status_code=400)  # fmt: skip


async def _hearing_and_item(
    console: Console, viewer: Viewer, hearing_id: uuid.UUID
) -> tuple[dict[str, Any], dict[str, Any]]:
    hearing = await console.planner.hearing(viewer.caller, str(hearing_id))
    item = await console.planner.item(viewer.caller, str(hearing["item_id"]))
    return hearing, item


ACTIONS = {  # action: (template, heading, notice after it)
    "reschedule": ("hearing_reschedule.html", N_("Reschedule the hearing"), "rescheduled"),
    "cancel": ("hearing_cancel.html", N_("Cancel the hearing"), "cancelled"),
    "held": ("hearing_held.html", N_("Record that the hearing was held"), "held"),
}


@router.get("/hearings/{hearing_id}/{action}")
async def hearing_action_form(
    hearing_id: uuid.UUID, action: str, request: Request, console: ConsoleDep, viewer: Clerk
) -> Response:
    if action not in ACTIONS:
        raise NotFoundAtService(action)
    hearing, item = await _hearing_and_item(console, viewer, hearing_id)
    template, heading, _done = ACTIONS[action]
    values: dict[str, Any] = {"location": hearing["location"] or ""}
    if action == "reschedule":
        day, start = local_parts(hearing["starts_at"], hearing["timezone"])
        _day, end = local_parts(hearing["ends_at"], hearing["timezone"])
        values |= {f"date-{k}": v for k, v in day.items()} | {"start_time": start, "end_time": end}
    return await _page(request, console, viewer, template, viewer.translator.gettext(heading), item,
                       values=values, hearing=hearing)  # fmt: skip


@router.post("/hearings/{hearing_id}/{action}")
async def hearing_action(
    hearing_id: uuid.UUID, action: str, request: Request, console: ConsoleDep, viewer: Clerk
) -> Response:
    if action not in ACTIONS:
        raise NotFoundAtService(action)
    form = await checked_form(request, viewer)
    hearing, item = await _hearing_and_item(console, viewer, hearing_id)
    template, heading, done = ACTIONS[action]
    t = viewer.translator
    reader = FormReader(form, t)
    body: dict[str, Any]
    if action == "reschedule":
        starts_at, ends_at = _read_times(reader, hearing["timezone"])
        body = {"starts_at": starts_at, "ends_at": ends_at,
                "location": reader.text("location") or None,
                "reason": reader.text("reason") or None,
                "allow_overlap": form.get("allow_overlap") == "yes"}  # fmt: skip
    elif action == "cancel":
        body = {"reason": reader.required("reason", t.gettext("Say why the hearing is cancelled"))}
    else:
        body = {"summary": reader.localized("summary", limit=20_000)}
        day = reader.date("held_date", required=False, label=t.gettext("date"))
        if day is not None:
            at = reader.clock("held_time", label=t.gettext("time"))
            moment = reader.moment(day, at, hearing["timezone"])
            body["held_at"] = moment.isoformat() if moment else None
    overlapping = None
    if not reader.errors:
        try:
            await console.planner.hearing_action(viewer.caller, str(hearing_id), action, body)
        except Refused as refused:
            first = {"reschedule": "date", "cancel": "reason", "held": "summary_az"}[action]
            result = shown(refused, HEARING_FIELDS, first, t)
            reader.errors |= result.errors
            overlapping = result.overlapping_hearing
        else:
            return RedirectResponse(
                f"/items/{item['id']}?done={done}#hearing-{hearing_id}", status_code=303
            )
    return await _page(request, console, viewer, template, t.gettext(heading), item,
                       values=reader.values(), hearing=hearing, errors=reader.errors,
                       overlapping=overlapping, status_code=400)  # fmt: skip
