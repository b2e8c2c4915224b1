"""Page 6, search: the archive's ranked search with highlighted snippets, filters by kind,
a date range, search as you type (htmx asks ``/search/results`` with the archive's prefix
matching), and the result as CSV.

A snippet comes from the archive with matches in ``<mark>`` and the rest HTML-escaped; the
console trusts none of it: it unescapes the text between the marks and escapes it again,
so only its own ``<mark>`` elements reach the page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import unescape
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from services.console.entrypoints.web.dependencies import Analyst, ConsoleDep
from services.console.entrypoints.web.labels import N_
from services.console.entrypoints.web.rendering import labeller, render
from services.console.entrypoints.web.viewer import Viewer

router = APIRouter()
KINDS = {"item": N_("Items"), "hearing": N_("Hearings"), "meeting": N_("Meetings"),
         "event": N_("Events")}  # fmt: skip
KIND_NAMES = {"item": N_("Item"), "hearing": N_("Hearing"), "meeting": N_("Meeting"),
              "event": N_("Event")}  # fmt: skip
MARK = re.compile(r"(<mark>|</mark>)")
LIMIT = 50
EXPORT_LIMIT = 200
Text = Annotated[str, Query(max_length=500)]
Day = Annotated[str, Query(max_length=10)]


def highlighted(snippet: str | None) -> Markup:
    """The archive's snippet with its matches marked, and nothing else as markup."""
    if not snippet:
        return Markup("")
    shown, inside = [], False
    for part in MARK.split(snippet):
        if part == "<mark>":
            if not inside:
                shown.append(Markup("<mark>"))
            inside = True
        elif part == "</mark>":
            if inside:
                shown.append(Markup("</mark>"))
            inside = False
        else:
            shown.append(escape(unescape(part)))
    if inside:
        shown.append(Markup("</mark>"))
    return Markup("").join(shown)


def page_of(result: dict[str, Any]) -> str | None:
    """The console page of a search result (an event: the page of its subject)."""
    kind, key = result["kind"], str(result.get("id") or "")
    if kind == "event":
        kind, _, key = str(result.get("subject") or "").partition("/")
    if kind in ("item", "hearing", "meeting") and re.fullmatch(r"[0-9a-fA-F-]{36}", key):
        return f"/{kind}s/{key}"
    return None


@dataclass(frozen=True)
class Asked:
    q: str
    kinds: list[str]
    day_from: str
    day_to: str

    def query(self, zone: str) -> tuple[dict[str, Any], dict[str, str]]:
        """The archive's parameters, and what is wrong with the dates (by field)."""
        errors: dict[str, str] = {}
        moments: dict[str, str] = {}
        for name, text, shift in (("from", self.day_from, 0), ("to", self.day_to, 1)):
            if not text:
                continue
            day = _day(text)
            if day is None:
                errors[name] = N_("Enter the date as year-month-day, like 2026-03-31")
                continue
            moment = datetime.combine(day + timedelta(days=shift), time.min, ZoneInfo(zone))
            moments["time_from" if name == "from" else "time_to"] = moment.isoformat()
        if (
            "time_from" in moments
            and "time_to" in moments
            and (moments["time_to"] <= moments["time_from"])
        ):
            errors["to"] = N_("The end of the range must be on or after its start")
        params: dict[str, Any] = {"q": self.q, "kind": self.kinds or None, **moments}
        return params, errors

    def link(self, path: str) -> str:
        query = {"q": self.q, "kind": self.kinds, "from": self.day_from, "to": self.day_to}
        return path + "?" + urlencode({k: v for k, v in query.items() if v}, doseq=True)


def _day(text: str) -> date | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2200 else None


def _asked(q: str, kind: list[str] | None, day_from: str, day_to: str) -> Asked:
    kinds = [k for k in (kind or []) if k in KINDS]
    return Asked(q.strip(), kinds, day_from.strip(), day_to.strip())


async def _results(
    console: Any, viewer: Viewer, asked: Asked, *, prefix: bool
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    t = viewer.translator
    params, errors = asked.query(console.settings.default_timezone)
    if not asked.q or errors:
        return [], {key: t.gettext(message) for key, message in errors.items()}
    if prefix:
        params["prefix"] = "true"  # the archive's search as you type (ignored where unknown)
    found = await console.archive.search(viewer.caller, limit=LIMIT, **params)
    return found, {}


def _context(viewer: Viewer, asked: Asked, found: list[dict[str, Any]],
             errors: dict[str, str], zone: str) -> dict[str, Any]:  # fmt: skip
    t = viewer.translator
    return {
        "title": t.gettext("Search"),
        "section": "search",
        "asked": asked,
        "results": found,
        "errors": errors,
        "zone": zone,
        "limit": LIMIT,
        "highlighted": highlighted,
        "page_of": page_of,
        "kind_options": [(code, t.gettext(label)) for code, label in KINDS.items()],
        "kind_name": labeller(t, KIND_NAMES),
        "csv_link": asked.link("/search.csv"),
    }


@router.get("/search")
async def search_page(
    request: Request,
    console: ConsoleDep,
    viewer: Analyst,
    q: Text = "",
    kind: Annotated[list[str] | None, Query(max_length=4)] = None,
    day_from: Annotated[str, Query(alias="from", max_length=10)] = "",
    day_to: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> Response:
    asked = _asked(q, kind, day_from, day_to)
    found, errors = await _results(console, viewer, asked, prefix=False)
    context = _context(viewer, asked, found, errors, console.settings.default_timezone)
    return render(request, "search.html", viewer.translator, context, viewer=viewer,
                  status_code=400 if errors else 200)  # fmt: skip


@router.get("/search/results")
async def live_results(
    request: Request,
    console: ConsoleDep,
    viewer: Analyst,
    q: Text = "",
    kind: Annotated[list[str] | None, Query(max_length=4)] = None,
    day_from: Annotated[str, Query(alias="from", max_length=10)] = "",
    day_to: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> Response:
    """The results part alone, as the reader types (the last word may be a word's start)."""
    asked = _asked(q, kind, day_from, day_to)
    found, errors = await _results(console, viewer, asked, prefix=True)
    context = _context(viewer, asked, found, errors, console.settings.default_timezone)
    return render(request, "search_results.html", viewer.translator, context, viewer=viewer)


@router.get("/search.csv")
async def search_csv(
    console: ConsoleDep,
    viewer: Analyst,
    q: Text = "",
    kind: Annotated[list[str] | None, Query(max_length=4)] = None,
    day_from: Annotated[str, Query(alias="from", max_length=10)] = "",
    day_to: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> Response:
    """The result as CSV, from the archive (the same matches, up to 200)."""
    asked = _asked(q, kind, day_from, day_to)
    params, errors = asked.query(console.settings.default_timezone)
    if not asked.q or errors:
        from fastapi import HTTPException  # noqa: PLC0415

        raise HTTPException(400, "search")
    made = await console.archive.search_csv(viewer.caller, limit=EXPORT_LIMIT, **params)
    return Response(
        made.content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="workplan-search.csv"'},
    )
