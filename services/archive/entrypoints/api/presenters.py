"""Rows of the log and the read models as the API shows them, and their CSV columns."""

from __future__ import annotations

from typing import Any

from services.archive.domain.projections import Kind
from services.archive.entrypoints.api.formats import Document, to_json
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
        "ends_at", "location", "organizations", *TITLES, "version", "updated_at",
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


def state_document(kind: Kind, row: Row) -> Document:
    """An item, hearing or meeting: its snapshot plus what the archive knows about it."""
    state: dict[str, Any] = dict(row["state"] or {})
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
