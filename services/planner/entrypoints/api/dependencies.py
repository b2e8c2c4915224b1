"""Dependencies of the API routes, declared once as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response

from services.planner.bootstrap import Planner
from services.planner.handlers.ports import Page
from shared.auth.http import require
from shared.auth.tokens import Principal
from shared.runtime.json_lists import JsonOnly


def get_planner(request: Request) -> Planner:
    planner: Planner = request.app.state.planner
    return planner


def get_page(
    limit: Annotated[int, Query(ge=1, le=500, description="Page size.")] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip.")] = 0,
    _format: JsonOnly = None,
) -> Page:
    return Page(limit=limit, offset=offset)


TOTAL_COUNT = "X-Total-Count"


def listed(description: str) -> dict[int | str, dict[str, Any]]:
    """The 200 answer of a list: a page, and the size of the whole list in a header."""
    header = {
        "description": "How many the whole list holds (every page)",
        "schema": {"type": "integer", "minimum": 0},
    }
    return {200: {"description": description, "headers": {TOTAL_COUNT: header}}}


def count_total(response: Response, total: int) -> None:
    response.headers[TOTAL_COUNT] = str(total)


PlannerDep = Annotated[Planner, Depends(get_planner)]
PageDep = Annotated[Page, Depends(get_page)]
Reader = Annotated[Principal, Depends(require("planner:read"))]
Writer = Annotated[Principal, Depends(require("planner:write"))]


def cleared(principal: Principal) -> bool:
    """May this caller see restricted items?"""
    return principal.has("planner:restricted")
