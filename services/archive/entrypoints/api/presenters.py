"""Rows of the log and the read models as the API shows them, and their CSV columns."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from services.archive.domain.projections import Kind
from services.archive.entrypoints.api.formats import Document, to_json, utc_text
from services.archive.handlers.ports import Row

TITLES = ("title.az", "title.en", "title.ru")
EVENT_COLUMNS = (
    "position",
    "time",
    "received_at",
    "source",
    "id",
    "type",
    "subject",
    "sequence",
    "known",
    "mode",
    "classification",
    "committee",
    "session",
    "organizations",
    "item_id",
)
STATE_COLUMNS: dict[Kind, tuple[str, ...]] = {
    "item": (
        "id", "ref", "committee", "session", "status", "category", "classification",
        "organizations", "period_start", "period_end", *TITLES, "version", "updated_at",
    ),
    "hearing": (
        "id", "item_id", "committee", "session", "status", "classification", "starts_at",
        "ends_at", "timezone", "location", "organizations", *TITLES, "version", "updated_at",
    ),
    "meeting": (
        "source", "id", "item_id", "committee", "session", "held_at", "location",
        "organizations", "classification", *TITLES, "version", "updated_at",
    ),
}  # fmt: skip
ACTIVITY_COLUMNS = (
    "kind", "id", "date", "status", "committee", "session", "classification", *TITLES,
    "updated_at",
)  # fmt: skip


def for_staff(document: Document) -> Document:
    """A row of a CSV for staff: a snapshot's times as local time in its session's zone
    (``2026-03-12 11:00``, the zone in the ``timezone`` column) when it names one."""
    zone = document.get("timezone")
    if not isinstance(zone, str):
        return document
    try:
        local = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return document
    shown = dict(document)
    for name in MOMENTS:
        if isinstance(shown.get(name), str):
            try:
                moment = datetime.fromisoformat(shown[name])
            except ValueError:
                continue
            shown[name] = f"{moment.astimezone(local):%Y-%m-%d %H:%M}"
    return shown


def _in_utc(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text  # kept as the event wrote it
    return utc_text(moment) if moment.tzinfo is not None else text


def event_document(row: Row) -> Document:
    """An event's archive fields and, under ``event``, its JSON as received."""
    document = {column: row.get(column) for column in EVENT_COLUMNS if column != "id"}
    document["id"] = row["event_id"]
    document["event"] = row["envelope"]
    return document


def render_event(document: Document) -> str:
    """The event's JSON with ``event`` spliced in verbatim, as the archive received it."""
    envelope = document["event"]
    head = to_json({key: value for key, value in document.items() if key != "event"})
    return f'{head[:-1]},"event":{envelope}}}'


MOMENTS = ("starts_at", "ends_at", "held_at", "previous_starts_at", "previous_ends_at")
"""The times in a snapshot, shown in UTC whatever offset their event was written with."""


def state_document(kind: Kind, row: Row) -> Document:
    """An item, hearing or meeting: its snapshot plus what the archive knows about it."""
    state: dict[str, Any] = dict(row["state"] or {})
    for name in MOMENTS:
        if isinstance(state.get(name), str):
            state[name] = _in_utc(state[name])
    document: Document = {
        "kind": kind,
        "id": row["key"],
        **state,
        "version": row["version"],
        "updated_at": row["updated_at"],
        "last_event_type": row["last_event_type"],
    }
    if kind == "meeting":
        document["source"] = row["source"]
    return document


def activity_document(row: Row) -> Document:
    kind: Kind = row["kind"]
    return {**state_document(kind, row), "date": row.get("date") or row["updated_at"]}


def search_document(row: Row) -> Document:
    if row["kind"] == "event":
        data = row.get("state") if isinstance(row.get("state"), dict) else {}
        return {
            "kind": "event",
            "id": row["event_id"],
            "source": row["source"],
            "type": row["type"],
            "subject": row["subject"],
            "time": row["time"],
            "title": (data or {}).get("title"),
            "rank": float(row["rank"]),
            "match": row["match"],
            "snippet": row.get("snippet"),
        }
    state = row.get("state") or {}
    return {
        "kind": row["kind"],
        "id": row["key"],
        "source": row.get("source"),
        "type": row["last_event_type"],
        "subject": f"{row['kind']}/{row['key']}",
        "time": row["updated_at"],
        "title": state.get("title"),
        "rank": float(row["rank"]),
        "match": row["match"],
        "snippet": row.get("snippet"),
    }


SEARCH_COLUMNS = (
    "kind", "id", "source", "type", "subject", "time", *TITLES, "rank", "match", "snippet",
)  # fmt: skip
