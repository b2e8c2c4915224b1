"""Page 4, the calendar: a month and an agenda of a session's hearings and meetings (from
the planner, in the session's time zone), cancelled ones struck through and labelled; each
hearing as an ``.ics`` file (from the archive); a meeting's address."""

from __future__ import annotations

import asyncio
import calendar as months
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from services.console.adapters.service_client import Caller
from services.console.bootstrap import Console
from services.console.entrypoints.web.dependencies import Clerk, ConsoleDep, ViewerDep
from services.console.entrypoints.web.pages.plan_choice import choose_session, plan_key
from services.console.entrypoints.web.rendering import render

router = APIRouter()
MONTH = r"^\d{4}-\d{2}$"
SHOWN = 500
"""Hearings and meetings of one month shown at most (each); more are said to be there."""


@dataclass
class Entry:
    kind: str  # hearing | meeting
    id: str
    starts: datetime
    ends: datetime | None
    title: dict[str, str]
    organizations: list[str]
    location: str | None
    status: str
    href: str


@dataclass
class Day:
    day: date
    in_month: bool
    entries: list[Entry] = field(default_factory=list)


@router.get("/calendar")
async def calendar_page(
    request: Request,
    console: ConsoleDep,
    viewer: Clerk,
    plan: Annotated[str, Query(max_length=200)] = "",
    view: Annotated[str, Query(pattern="^(month|agenda)$")] = "month",
    month: Annotated[str, Query(pattern=MONTH)] = "",
) -> Response:
    t = viewer.translator
    sessions, chosen = await choose_session(console, viewer.caller, plan)
    context: dict[str, Any] = {
        "title": t.gettext("Calendar"),
        "section": "calendar",
        "sessions": sessions,
        "chosen": chosen,
        "view": view,
    }
    if chosen is None:
        return render(request, "calendar.html", t, context, viewer=viewer)
    zone = chosen["timezone"]
    first = _first_of_month(month, chosen, zone)
    following = _add_months(first, 1)
    entries, more = await _entries(console, viewer.caller, chosen, first, following, zone)
    key = plan_key(chosen)
    context |= {
        "zone": zone,
        "plan_key": key,
        "plan_action": "/calendar",
        "plan_extra": [("view", view)],
        "month_start": first,
        "weeks": _weeks(first, entries, zone),
        "agenda": _agenda(entries, zone),
        "more": more,
        "weekdays": _weekday_names(t.language),
        "link": lambda **changes: _link(
            {"plan": key, "view": view, "month": f"{first:%Y-%m}"}, changes
        ),
        "previous_month": _add_months(first, -1),
        "next_month": following,
    }
    return render(request, "calendar.html", t, context, viewer=viewer)


def _link(query: dict[str, str], changes: dict[str, str]) -> str:
    return "/calendar?" + urlencode({**query, **changes})


def _first_of_month(month: str, session: dict[str, Any], zone: str) -> date:
    """The month asked for; else this month if the session is on, else its first month."""
    if month:
        year, number = (int(part) for part in month.split("-"))
        if 1900 <= year <= 2200 and 1 <= number <= 12:
            return date(year, number, 1)
    today = datetime.now(ZoneInfo(zone)).date()
    starts, ends = date.fromisoformat(session["starts_on"]), date.fromisoformat(session["ends_on"])
    shown = today if starts <= today <= ends else starts
    return shown.replace(day=1)


def _add_months(first: date, count: int) -> date:
    index = first.year * 12 + first.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


async def _entries(
    console: Console,
    caller: Caller,
    session: dict[str, Any],
    first: date,
    following: date,
    zone: str,
) -> tuple[list[Entry], bool]:
    tz = ZoneInfo(zone)
    starts = datetime.combine(first, datetime.min.time(), tz)
    ends = datetime.combine(following, datetime.min.time(), tz)
    (hearings, hearing_total), (meetings, meeting_total) = await asyncio.gather(
        console.planner.hearings(
            caller, limit=SHOWN, committee=session["committee"], session=session["code"],
            starts_from=starts.isoformat(), starts_before=ends.isoformat(),
        ),
        console.planner.meetings(
            caller, limit=SHOWN, committee=session["committee"],
            held_from=(first - timedelta(days=1)).isoformat(),
            held_before=(following + timedelta(days=1)).isoformat(),
        ),
    )  # fmt: skip
    found = [
        Entry(
            "hearing",
            h["id"],
            datetime.fromisoformat(h["starts_at"]),
            datetime.fromisoformat(h["ends_at"]),
            h.get("title") or {},
            h.get("organizations") or [],
            h.get("location"),
            h["status"],
            f"/hearings/{h['id']}",
        )
        for h in hearings
    ]
    for m in meetings:
        held = datetime.fromisoformat(m["held_at"])
        if starts <= held < ends:
            found.append(
                Entry(
                    "meeting",
                    m["id"],
                    held,
                    None,
                    m.get("title") or {},
                    m["organizations"],
                    m.get("location"),
                    "held",
                    f"/meetings/{m['id']}",
                )
            )
    found.sort(key=lambda entry: entry.starts)
    return found, hearing_total > len(hearings) or meeting_total > len(meetings)


def _weeks(first: date, entries: list[Entry], zone: str) -> list[list[Day]]:
    tz = ZoneInfo(zone)
    by_day: dict[date, list[Entry]] = {}
    for entry in entries:
        by_day.setdefault(entry.starts.astimezone(tz).date(), []).append(entry)
    grid = months.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [
        [Day(day, day.month == first.month, by_day.get(day, [])) for day in week] for week in grid
    ]


def _agenda(entries: list[Entry], zone: str) -> list[Day]:
    tz = ZoneInfo(zone)
    days: dict[date, Day] = {}
    for entry in entries:
        local = entry.starts.astimezone(tz).date()
        days.setdefault(local, Day(local, True)).entries.append(entry)
    return list(days.values())


def _weekday_names(language: str) -> list[tuple[str, str]]:
    """(short, full) names of Monday to Sunday in the reader's language."""
    from babel.dates import get_day_names  # noqa: PLC0415

    short = get_day_names("abbreviated", locale=language)
    full = get_day_names("wide", locale=language)
    return [(str(short[index]), str(full[index])) for index in range(7)]


@router.get("/hearings/{hearing_id}/calendar.ics")
async def hearing_file(hearing_id: uuid.UUID, console: ConsoleDep, viewer: ViewerDep) -> Response:
    """The hearing as a file for a calendar program (the archive makes it)."""
    made = await console.archive.hearing_file(viewer.caller, str(hearing_id))
    return Response(
        made.content,
        media_type=made.media_type,
        headers={
            "Content-Disposition": made.disposition
            or f'attachment; filename="hearing-{hearing_id}.ics"'
        },
    )


@router.get("/meetings/{meeting_id}")
async def meeting_page(
    meeting_id: uuid.UUID, request: Request, console: ConsoleDep, viewer: Clerk
) -> Response:
    """A meeting's address (in notices): its place on its item's page, or its own page."""
    meeting = await console.planner.meeting(viewer.caller, str(meeting_id))
    if meeting.get("item_id"):
        return RedirectResponse(
            f"/items/{meeting['item_id']}#meeting-{meeting_id}", status_code=303
        )
    t = viewer.translator
    zone = "UTC"
    for session in await console.planner.sessions(viewer.caller):
        if (session["committee"], session["code"]) == (meeting["committee"], meeting["session"]):
            zone = session["timezone"]
    context = {
        "title": t.text(meeting["title"]) or t.gettext("Meeting"),
        "section": "calendar",
        "meeting": meeting,
        "zone": zone,
    }
    return render(request, "meeting.html", t, context, viewer=viewer)
