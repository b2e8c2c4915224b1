"""Lists stream as a JSON array, CSV or JSON Lines, chosen by ``format=`` or ``Accept``."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any, Literal

from fastapi import HTTPException, status
from fastapi.responses import StreamingResponse

Format = Literal["json", "csv", "jsonl"]
MEDIA_TYPES: dict[Format, str] = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
}
_ACCEPTED: dict[str, Format] = {
    "application/json": "json",
    "text/csv": "csv",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/json-lines": "jsonl",
    "*/*": "json",
    "application/*": "json",
    "text/*": "csv",
}

NOT_ACCEPTABLE: dict[str, Any] = {
    "description": "The Accept header asks for a format the API cannot produce",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


def list_responses(
    description: str,
    example: Any = None,
    more: dict[int | str, dict[str, Any]] | None = None,
    headers: dict[str, Any] | None = None,
) -> dict[int | str, dict[str, Any]]:
    """The answers of a list offered as JSON, CSV and JSON Lines (``format=`` or Accept)."""
    json_content: dict[str, Any] = {} if example is None else {"example": example}
    return {
        200: {
            "description": description,
            **({"headers": headers} if headers else {}),
            "content": {
                "application/json": json_content,
                "text/csv": {"schema": {"type": "string"}},
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        },
        406: NOT_ACCEPTABLE,
        **(more or {}),
    }


Document = dict[str, Any]
Render = Callable[[Document], str]
"""One row as JSON text (lets a row carry verbatim JSON, e.g. an event as received)."""


def negotiate(requested: Format | None, accept: str | None) -> Format:
    """``format=`` wins; else the first media type of ``Accept`` we can produce; else JSON."""
    if requested is not None:
        return requested
    if not accept:
        return "json"
    for part in accept.split(","):
        media_type = part.split(";", 1)[0].strip().lower()
        if media_type in _ACCEPTED:
            return _ACCEPTED[media_type]
    raise HTTPException(
        status.HTTP_406_NOT_ACCEPTABLE,
        f"cannot produce {accept!r}; ask for application/json, text/csv or "
        "application/x-ndjson (or use format=json|csv|jsonl)",
    )


def utc_text(moment: datetime) -> str:
    """The one convention of every JSON answer: RFC 3339 in UTC, ``2026-03-12T07:00:00Z``."""
    text = moment.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc_text(value) if value.tzinfo is not None else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {key: jsonable(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(inner) for inner in value]
    return value


def to_json(document: Document) -> str:
    return json.dumps(jsonable(document), ensure_ascii=False, separators=(",", ":"))


def stream(
    documents: Sequence[Document],
    chosen: Format,
    columns: Sequence[str],
    *,
    render: Render = to_json,
    headers: dict[str, str] | None = None,
) -> StreamingResponse:
    """Stream the documents; CSV has the fixed ``columns`` (lists joined with spaces,
    ``title.en`` for a nested value)."""
    body: Iterator[str]
    if chosen == "csv":
        body = _csv(documents, columns)
    elif chosen == "jsonl":
        body = (f"{render(document)}\n" for document in documents)
    else:
        body = _json_array(documents, render)
    return StreamingResponse(body, media_type=MEDIA_TYPES[chosen], headers=headers)


def _json_array(documents: Iterable[Document], render: Render) -> Iterator[str]:
    yield "["
    for index, document in enumerate(documents):
        yield ("," if index else "") + render(document)
    yield "]"


def _csv(documents: Iterable[Document], columns: Sequence[str]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for document in documents:
        writer.writerow([_cell(_lookup(document, column)) for column in columns])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _lookup(document: Document, column: str) -> Any:
    """A column's value; ``title.en`` reads inside a nested object."""
    value: Any = document
    for part in column.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(inner) for inner in value)
    if isinstance(value, dict):
        return json.dumps(jsonable(value), ensure_ascii=False)
    return str(jsonable(value))
