"""Page 1, the work plan: choose committee and session; the session's progress (counts and
a bar); items grouped by status; filters by organisation, category, owner, status, text.

The planner counts and filters (``/work-plans/…/summary`` and ``/items``); the page asks
for at most ``GROUP_SIZE`` items of each status, and pages through one status at a time.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.adapters.service_client import Caller
from services.console.bootstrap import Console
from services.console.entrypoints.web.dependencies import Clerk, ConsoleDep
from services.console.entrypoints.web.labels import CATEGORIES, ITEM_STATUSES
from services.console.entrypoints.web.rendering import render

router = APIRouter()
STATUS_ORDER = ("in_progress", "planned", "completed", "deferred", "cancelled")
GROUP_SIZE = 50
PAGE_SIZE = 100
Filter = Annotated[str, Query(max_length=200)]


@dataclass(frozen=True)
class Filters:
    organization: str = ""
    category: str = ""
    owner: str = ""
    status: str = ""
    q: str = ""

    def sent(self) -> dict[str, str]:
        """What the planner is asked to filter by (only what is set and valid)."""
        chosen = {key: value for key, value in asdict(self).items() if value}
        if chosen.get("status") not in (None, *ITEM_STATUSES):
            chosen.pop("status")
        if chosen.get("category") not in (None, *CATEGORIES):
            chosen.pop("category")
        return chosen

    @property
    def any(self) -> bool:
        return bool(self.sent())


@router.get("/")
async def work_plan(
    request: Request,
    console: ConsoleDep,
    viewer: Clerk,
    plan: Filter = "",
    organization: Filter = "",
    category: Filter = "",
    owner: Filter = "",
    status: Filter = "",
    q: Filter = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    t = viewer.translator
    caller = viewer.caller
    sessions = await console.planner.sessions(caller)
    chosen = next(
        (s for s in sessions if f"{s['committee']}/{s['code']}" == plan),
        sessions[0] if sessions else None,
    )
    context: dict[str, Any] = {
        "title": t.gettext("Work plan"),
        "section": "work-plan",
        "sessions": sessions,
        "chosen": chosen,
    }
    if chosen is None:
        return render(request, "work_plan.html", t, context, viewer=viewer)
    committee, session = chosen["committee"], chosen["code"]
    filters = Filters(organization, category, owner, status, q.strip())
    summary, organizations = await asyncio.gather(
        console.planner.summary(caller, committee, session),
        console.planner.organizations(caller),
    )
    where = Where(console, caller, committee, session, filters.sent())
    groups, matching_total = await where.groups(summary["statuses"], page)
    counts = summary["statuses"]
    total = summary["total"]
    plan_key = f"{committee}/{session}"
    known = {o["code"]: o for o in organizations}
    context |= {
        "plan_key": plan_key,
        "filters": filters,
        "total": total,
        "shown_count": matching_total,
        "counts": [(code, counts.get(code, 0)) for code in STATUS_ORDER],
        "widths": _widths(counts, total),
        "done_share": (counts.get("completed", 0) / total) if total else 0.0,
        "groups": groups,
        "query": lambda **changes: (
            "/?" + urlencode({"plan": plan_key, **filters.sent(), **changes})
        ),
        "organization_options": [("", t.gettext("Any organisation"))]
        + [
            (code, f"{code} – {t.text(known[code]['name'])}" if code in known else code)
            for code in summary["organizations"]
        ],
        "category_options": [("", t.gettext("Any category"))]
        + [(code, t.gettext(label)) for code, label in CATEGORIES.items()],
        "owner_options": [("", t.gettext("Anyone"))] + [(n, n) for n in summary["owners"]],
        "status_options": [("", t.gettext("Any status"))]
        + [(code, t.gettext(label)) for code, label in ITEM_STATUSES.items()],
    }
    return render(request, "work_plan.html", t, context, viewer=viewer)


@dataclass(frozen=True)
class Where:
    """The items of a work plan that match the filters, grouped by status."""

    console: Console
    caller: Caller
    committee: str
    session: str
    sent: dict[str, str]

    async def groups(self, statuses: dict[str, int], page: int) -> tuple[list[dict[str, Any]], int]:
        """Without filters: the first few of every status. With filters: one search,
        grouped here, counted by the planner only when one page does not hold them all.
        With a status: that status page by page."""
        if not self.sent:
            return await self._first_of_each(statuses), sum(statuses.values())
        offset = (page - 1) * PAGE_SIZE if "status" in self.sent else 0
        found = await self._items(PAGE_SIZE + 1, offset)
        if len(found) <= PAGE_SIZE and offset == 0:
            counts = dict(Counter(item["status"] for item in found))
        elif set(self.sent) == {"status"}:
            counts = {self.sent["status"]: statuses.get(self.sent["status"], 0)}
        else:
            matching = await self.console.planner.summary(
                self.caller, self.committee, self.session, **self.sent
            )
            counts = matching["statuses"]
        found = found[:PAGE_SIZE]
        total = sum(counts.values())
        if "status" in self.sent:
            code = self.sent["status"]
            if not counts.get(code):
                return [], total
            pages = max(1, -(-counts[code] // PAGE_SIZE))
            return [_group(code, counts[code], found, page=page, pages=pages)], total
        return [
            _group(code, counts[code], [i for i in found if i["status"] == code])
            for code in STATUS_ORDER
            if counts.get(code)
        ], total

    async def _first_of_each(self, statuses: dict[str, int]) -> list[dict[str, Any]]:
        codes = [code for code in STATUS_ORDER if statuses.get(code)]
        pages = await asyncio.gather(
            *(
                self.console.planner.items(
                    self.caller,
                    self.committee,
                    self.session,
                    limit=GROUP_SIZE,
                    filters={"status": code},
                )
                for code in codes
            )
        )
        return [
            _group(code, statuses[code], found) for code, found in zip(codes, pages, strict=True)
        ]

    async def _items(self, limit: int, offset: int) -> list[dict[str, Any]]:
        return await self.console.planner.items(
            self.caller, self.committee, self.session, limit=limit, offset=offset,
            filters=self.sent,
        )  # fmt: skip


def _group(
    code: str, count: int, found: list[dict[str, Any]], *, page: int = 1, pages: int = 1
) -> dict[str, Any]:
    return {"status": code, "count": count, "items": found, "page": page, "pages": pages,
            "more": pages == 1 and count > len(found)}  # fmt: skip


def _widths(counts: dict[str, int], total: int) -> list[tuple[str, int]]:
    """Each status's share of the bar in whole per cent (they add up to 100)."""
    if not total:
        return []
    shares = [(code, round(100 * counts.get(code, 0) / total)) for code in STATUS_ORDER]
    drift = 100 - sum(share for _code, share in shares)
    largest = max(range(len(shares)), key=lambda index: shares[index][1])
    shares[largest] = (shares[largest][0], shares[largest][1] + drift)
    return [(code, share) for code, share in shares if share > 0]
