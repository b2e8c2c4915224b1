"""What a query asks for: filters of the log and of the read models, and who is asking."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from services.archive.domain.projections import Kind

Order = Literal["asc", "desc"]


@dataclass(frozen=True)
class Viewer:
    """The caller: their name (for the access log) and whether they may see restricted data."""

    principal: str
    cleared: bool


@dataclass(frozen=True)
class Cursor:
    """Where the previous page of events ended (newest first): its time and log position."""

    time: datetime
    position: int


@dataclass(frozen=True)
class EventFilter:
    types: tuple[str, ...] = ()
    """Exact types, or prefixes ending in ``*`` (``workplan.hearing.*``)."""
    source: str | None = None
    subject: str | None = None
    item_id: uuid.UUID | None = None
    time_from: datetime | None = None
    time_to: datetime | None = None
    organization: str | None = None
    known: bool | None = None
    text: str | None = None
    prefix: bool = False
    """Search as you type: the last word of ``text`` also matches the words it begins."""


@dataclass(frozen=True)
class StateFilter:
    """Filters of the item, hearing and meeting lists; ``as_of`` reads state from the log."""

    committee: str | None = None
    session: str | None = None
    status: str | None = None
    category: str | None = None
    organization: str | None = None
    item_id: uuid.UUID | None = None
    item_ids: tuple[uuid.UUID, ...] | None = None
    date_from: date | datetime | None = None
    date_to: date | datetime | None = None
    text: str | None = None
    as_of: datetime | None = None


@dataclass(frozen=True)
class AccessLogFilter:
    """Which access-log entries an auditor asks for."""

    principal: str | None = None
    subject: str | None = None
    """``item/<id>``, ``hearing/<id>``, ``meeting/<id>`` or an event's subject."""
    time_from: datetime | None = None
    time_to: datetime | None = None


@dataclass(frozen=True)
class Page:
    limit: int = 100
    offset: int = 0


KINDS: tuple[Kind, ...] = ("item", "hearing", "meeting")
