"""Every answer that shows restricted data is written to the access log.

The planner keeps no table of its own for it: each such answer is one line on the
``workplan.access`` logger (who, which request, which records), structured in the JSON
logs, for the log pipeline to keep. The archive keeps the queryable access log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import TypeVar

from fastapi import Request

from services.planner.entrypoints.api.schemas import HearingOut, ItemDetailOut, ItemOut, MeetingOut
from shared.auth.tokens import Principal
from shared.contract.classification import is_restricted

access_log = logging.getLogger("workplan.access")
Shown = ItemOut | HearingOut | MeetingOut
T = TypeVar("T", bound=Shown | Iterable[Shown])


def audit(request: Request, principal: Principal, shown: T) -> T:
    """Log the restricted records in an answer (if any); return the answer unchanged."""
    subjects = list(dict.fromkeys(_restricted_subjects(shown)))
    if subjects:
        access_log.info(
            "restricted data shown to %s: %s %s: %s",
            principal.subject,
            request.method,
            request.url.path,
            " ".join(subjects),
            extra={
                "principal": principal.subject,
                "method": request.method,
                "path": request.url.path,
                "subjects": subjects,
            },
        )
    return shown


def _restricted_subjects(shown: Shown | Iterable[Shown]) -> Iterator[str]:
    if isinstance(shown, ItemOut | HearingOut | MeetingOut):
        records: Iterable[Shown] = [shown]
    else:
        records = shown
    for record in records:
        if is_restricted(record.classification):
            yield f"{_kind(record)}/{record.id}"
        if isinstance(record, ItemDetailOut):
            yield from _restricted_subjects([*record.hearings, *record.meetings])


def _kind(record: Shown) -> str:
    if isinstance(record, HearingOut):
        return "hearing"
    if isinstance(record, MeetingOut):
        return "meeting"
    return "item"
