"""Choosing a committee's session (``?plan=COMMITTEE/SESSION``), as several pages do."""

from __future__ import annotations

from typing import Any

from services.console.adapters.service_client import Caller
from services.console.bootstrap import Console


async def choose_session(
    console: Console, caller: Caller, plan: str
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The sessions the planner knows and the one asked for (else the first)."""
    sessions = await console.planner.sessions(caller)
    chosen = next(
        (s for s in sessions if f"{s['committee']}/{s['code']}" == plan),
        sessions[0] if sessions else None,
    )
    return sessions, chosen


def plan_key(session: dict[str, Any]) -> str:
    return f"{session['committee']}/{session['code']}"
