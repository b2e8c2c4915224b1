"""Page 1, the work plan: choose committee and session; items grouped by status with the
session's progress; filters by organisation, category, owner, status and text."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.entrypoints.web.dependencies import Clerk, ConsoleDep
from services.console.entrypoints.web.labels import CATEGORIES, ITEM_STATUSES, N_
from services.console.entrypoints.web.rendering import render
from services.console.entrypoints.web.text_search import folded

router = APIRouter()
STATUS_ORDER = ("in_progress", "planned", "completed", "deferred", "cancelled")
Filter = Annotated[str, Query(max_length=200)]


@dataclass(frozen=True)
class Filters:
    organization: str = ""
    category: str = ""
    owner: str = ""
    status: str = ""
    q: str = ""

    def keeps(self, item: dict[str, Any]) -> bool:
        return (
            (not self.organization or self.organization in item["organizations"])
            and (not self.category or item["category"] == self.category)
            and (not self.owner or self.owner in item["owners"])
            and (not self.status or item["status"] == self.status)
            and (not self.q or folded(self.q) in _searchable(item))
        )

    @property
    def any(self) -> bool:
        return any((self.organization, self.category, self.owner, self.status, self.q))


def _searchable(item: dict[str, Any]) -> str:
    texts = [*item["title"].values(), *item["description"].values(), item.get("ref") or ""]
    return folded(" ".join([*texts, *item["tags"], *item["owners"]]))


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
        "notice": _notice(request, t.gettext),
    }
    if chosen is None:
        return render(request, "work_plan.html", t, context, viewer=viewer)
    items = await console.planner.items(caller, chosen["committee"], chosen["code"])
    organizations = await console.planner.organizations(caller)
    filters = Filters(organization, category, owner, status, q.strip())
    counts = Counter(item["status"] for item in items)
    shown = [item for item in items if filters.keeps(item)]
    groups = [
        (code, sorted((i for i in shown if i["status"] == code), key=_order))
        for code in STATUS_ORDER
    ]
    total = len(items)
    context |= {
        "plan_key": f"{chosen['committee']}/{chosen['code']}",
        "filters": filters,
        "total": total,
        "shown_count": len(shown),
        "counts": [(code, counts.get(code, 0)) for code in STATUS_ORDER],
        "widths": _widths(counts, total),
        "done_share": (counts.get("completed", 0) / total) if total else 0.0,
        "groups": [(code, found) for code, found in groups if found],
        "organization_options": [("", t.gettext("Any organisation"))]
        + [(o["code"], f"{o['code']} – {t.text(o['name'])}") for o in organizations],
        "category_options": [("", t.gettext("Any category"))]
        + [(code, t.gettext(label)) for code, label in CATEGORIES.items()],
        "owner_options": [("", t.gettext("Anyone"))]
        + [(name, name) for name in sorted({o for item in items for o in item["owners"]})],
        "status_options": [("", t.gettext("Any status"))]
        + [(code, t.gettext(label)) for code, label in ITEM_STATUSES.items()],
    }
    return render(request, "work_plan.html", t, context, viewer=viewer)


def _order(item: dict[str, Any]) -> tuple[str, str]:
    return (item.get("period_start") or "9999", item.get("ref") or "")


def _widths(counts: Counter[str], total: int) -> list[tuple[str, int]]:
    """Each status's share of the bar in whole per cent (they add up to 100)."""
    if not total:
        return []
    shares = [(code, round(100 * counts.get(code, 0) / total)) for code in STATUS_ORDER]
    drift = 100 - sum(share for _code, share in shares)
    largest = max(range(len(shares)), key=lambda index: shares[index][1])
    shares[largest] = (shares[largest][0], shares[largest][1] + drift)
    return [(code, share) for code, share in shares if share > 0]


NOTICES = {  # shown after a change, by ?done=
    "created": N_("The item was added to the work plan"),
}


def _notice(request: Request, gettext: Any) -> str | None:
    key = request.query_params.get("done")
    return gettext(NOTICES[key]) if key in NOTICES else None
