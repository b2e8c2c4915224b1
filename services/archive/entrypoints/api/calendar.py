"""``GET /api/v1/calendar.ics``: a subscribable iCalendar feed of hearings and meetings.

Each hearing keeps one ``UID`` for good; ``SEQUENCE`` is its version, so it rises with
every change; a cancelled hearing stays in the feed with ``STATUS:CANCELLED``.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from icalendar import Calendar, Event

from services.archive.entrypoints.api.dependencies import ArchiveDep, ViewerDep, audit
from services.archive.handlers import queries
from services.archive.handlers.filters import Page, StateFilter
from services.archive.handlers.ports import Row
from shared.contract.values import CommitteeCode, OrganizationCode

router = APIRouter(prefix="/api/v1", tags=["calendar"])
FEED_SIZE = Page(limit=1000)
MEETING_LENGTH = timedelta(hours=1)
"""Meetings report when they were held, not for how long; the feed shows an hour."""
UID_DOMAIN = "workplan.archive"


@router.get(
    "/calendar.ics",
    summary="iCalendar feed of hearings and meetings",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}, "description": "An iCalendar feed"}},
)
async def calendar_feed(
    request: Request,
    archive: ArchiveDep,
    viewer: ViewerDep,
    committee: CommitteeCode | None = None,
    organization: OrganizationCode | None = None,
) -> Response:
    """Subscribe to it in a calendar client (with the bearer token); the latest 1,000
    hearings and 1,000 meetings matching the filters."""
    where = StateFilter(committee=committee, organization=organization)
    hearings = await queries.list_states(archive.queries, "hearing", where, viewer, FEED_SIZE)
    meetings = await queries.list_states(archive.queries, "meeting", where, viewer, FEED_SIZE)
    await audit(
        request,
        archive,
        viewer,
        [{**row, "kind": "hearing"} for row in hearings]
        + [{**row, "kind": "meeting"} for row in meetings],
    )
    feed = Calendar()
    feed.add("prodid", "-//Workplan//archive//EN")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", "Workplan: hearings and meetings")
    for row in hearings:
        feed.add_component(_hearing(row))
    for row in meetings:
        feed.add_component(_meeting(row))
    return Response(feed.to_ical(), media_type="text/calendar; charset=utf-8")


def _hearing(row: Row) -> Event:
    state: dict[str, Any] = row["state"]
    event = Event()
    event.add("uid", f"hearing-{row['key']}@{UID_DOMAIN}")
    event.add("dtstamp", row["updated_at"])
    event.add("last-modified", row["updated_at"])
    event.add("sequence", row["version"])
    event.add("dtstart", row["date"])
    event.add("dtend", _moment(state.get("ends_at")) or row["date"] + MEETING_LENGTH)
    event.add("summary", _title(state))
    if state.get("location"):
        event.add("location", state["location"])
    cancelled = row["status"] == "cancelled"
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if cancelled and state.get("reason"):
        event.add("description", f"Cancelled: {state['reason']}")
    event.add("categories", ["hearing", row["committee"] or "committee"])
    return event


def _meeting(row: Row) -> Event:
    state: dict[str, Any] = row["state"]
    event = Event()
    stable = uuid.uuid5(uuid.NAMESPACE_URL, f"{row['source']}/{row['key']}")
    event.add("uid", f"meeting-{stable}@{UID_DOMAIN}")
    event.add("dtstamp", row["updated_at"])
    event.add("sequence", row["version"])
    event.add("dtstart", row["date"])
    event.add("dtend", row["date"] + MEETING_LENGTH)
    event.add("summary", _title(state) or f"Meeting with {', '.join(row['organizations'])}")
    if state.get("location"):
        event.add("location", state["location"])
    event.add("status", "CONFIRMED")
    summary = state.get("summary") or {}
    if isinstance(summary, dict) and summary:
        event.add("description", summary.get("en") or next(iter(summary.values())))
    event.add("categories", ["meeting", *row["organizations"]])
    return event


def _title(state: dict[str, Any]) -> str:
    title = state.get("title") or {}
    if not isinstance(title, dict) or not title:
        return ""
    return str(title.get("en") or title.get("az") or next(iter(title.values())))


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None
