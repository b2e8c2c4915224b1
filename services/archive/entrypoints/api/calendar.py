"""``GET /api/v1/calendar.ics``: the iCalendar feed of hearings and meetings, for a caller
with a bearer token (calendar programs subscribe to a feed address instead: ``feeds.py``)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request, Response

from services.archive.bootstrap import Archive
from services.archive.entrypoints.api import ical
from services.archive.entrypoints.api.dependencies import ArchiveDep, CalendarViewerDep, audit
from services.archive.handlers import queries
from services.archive.handlers.filters import Page, StateFilter, Viewer
from services.archive.handlers.ports import Row
from shared.contract.values import CommitteeCode, OrganizationCode

router = APIRouter(prefix="/api/v1", tags=["calendar"])
FEED_SIZE = Page(limit=1000)
CALENDAR_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {}}, "description": "An iCalendar feed"}
}
MEDIA_TYPE = "text/calendar; charset=utf-8"


@router.get(
    "/calendar.ics",
    summary="iCalendar feed of hearings and meetings",
    response_class=Response,
    responses=CALENDAR_RESPONSES,
)
async def calendar_feed(
    request: Request,
    archive: ArchiveDep,
    viewer: CalendarViewerDep,
    committee: CommitteeCode | None = None,
    organization: OrganizationCode | None = None,
) -> Response:
    """The latest 1,000 hearings and 1,000 meetings matching the filters. Calendar programs
    cannot send a bearer token: make them a feed address (``POST /api/v1/feeds``)."""
    where = StateFilter(committee=committee, organization=organization)
    hearings, meetings = await feed_rows(archive, where, viewer)
    await audit(request, archive, viewer, tagged(hearings, meetings))
    body = ical.render(
        "Workplan: hearings and meetings",
        hearings,
        meetings,
        await archive.feeds.session_zones(),
        style(archive),
    )
    return Response(body, media_type=MEDIA_TYPE)


@router.get(
    "/hearings/{hearing_id}/calendar.ics",
    summary="One hearing as an iCalendar file",
    response_class=Response,
    responses={**CALENDAR_RESPONSES, 404: {"description": "No such hearing (or restricted)"}},
)
async def hearing_file(
    hearing_id: uuid.UUID, request: Request, archive: ArchiveDep, viewer: CalendarViewerDep
) -> Response:
    """The hearing as a file to open in a calendar program (its UID and SEQUENCE are those of
    the feeds, so a later file or feed updates the same entry)."""
    row = await queries.get_state(archive.queries, "hearing", str(hearing_id), viewer, None)
    await audit(request, archive, viewer, [{**row, "kind": "hearing"}])
    body = ical.render(_title(row), [row], [], await archive.feeds.session_zones(), style(archive))
    return Response(
        body,
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="hearing-{hearing_id}.ics"'},
    )


def _title(row: Row) -> str:
    title = row["state"].get("title") or {}
    if isinstance(title, dict) and title:
        return str(title.get("en") or next(iter(title.values())))
    return "Workplan: hearing"


async def feed_rows(
    archive: Archive, where: StateFilter, viewer: Viewer
) -> tuple[list[Row], list[Row]]:
    hearings = await queries.list_states(archive.queries, "hearing", where, viewer, FEED_SIZE)
    meetings = await queries.list_states(archive.queries, "meeting", where, viewer, FEED_SIZE)
    return hearings, meetings


def tagged(hearings: list[Row], meetings: list[Row]) -> list[Row]:
    """The rows with their kind, as the access log records them."""
    return [{**row, "kind": "hearing"} for row in hearings] + [
        {**row, "kind": "meeting"} for row in meetings
    ]


def style(archive: Archive) -> ical.FeedStyle:
    settings = archive.settings
    return ical.FeedStyle(
        console_base_url=settings.console_base_url,
        refresh=timedelta(minutes=settings.calendar_refresh_minutes),
        default_zone=settings.calendar_timezone,
    )
