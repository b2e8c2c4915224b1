"""How an admin command prints a listing: a table for people, or ``--json`` for programs.

A table never cuts an identifier that a user must copy (an id, a URL, an address): those
columns never wrap and keep their full width; the other columns fold their text to make
room. When the output is not a terminal (a pipe, a file) the table takes the width it
needs; in a terminal narrower than the identifiers, lines run on rather than be cut.
``--json`` prints every row with all its fields, untruncated, as one JSON array.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rich.console import Console
from rich.table import Column as RichColumn
from rich.table import Table

FOLDED_MIN_WIDTH = 10
UNBOUNDED = 100_000
"""The narrowest a column of free text gets before lines run on."""


@dataclass(frozen=True)
class Column:
    title: str
    key: str
    copyable: bool = False
    """An identifier the user copies (an id, a URL): never wrapped, never cut."""


def print_listing(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    *,
    as_json: bool,
    console: Console | None = None,
) -> None:
    if as_json:
        print_document([dict(row) for row in rows])
        return
    table = Table(*(_header(column, rows) for column in columns))
    for row in rows:
        table.add_row(*(_cell(row.get(column.key)) for column in columns))
    console = console or Console()
    needed = table.__rich_measure__(console, console.options.update_width(UNBOUNDED))
    width = needed.maximum if not console.is_terminal else max(console.width, needed.minimum)
    if width > console.width:
        console = Console(width=width, force_terminal=console.is_terminal)
    console.print(table, crop=False)


def print_document(document: Any) -> None:
    """JSON on standard output: no colours, no wrapping, nothing cut."""
    sys.stdout.write(json.dumps(document, default=_plain, ensure_ascii=False, indent=2) + "\n")


def _header(column: Column, rows: Sequence[Mapping[str, Any]]) -> RichColumn:
    widest = max((len(_cell(row.get(column.key))) for row in rows), default=0)
    if column.copyable:
        return RichColumn(column.title, no_wrap=True, min_width=max(widest, len(column.title)))
    return RichColumn(
        column.title, overflow="fold", min_width=min(widest, FOLDED_MIN_WIDTH) or None
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return str(_plain(value))


def _plain(value: Any) -> Any:
    """JSON's view of the values a listing holds."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)
