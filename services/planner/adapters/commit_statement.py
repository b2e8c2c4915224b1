"""The one statement that commits a unit of work: it checks what was read, then writes.

A command reads what its rules need, decides in Python, and then sends everything it
changed in one statement — one round trip, and atomic on its own, so a command that took
no lock needs no ``BEGIN`` or ``COMMIT`` either:

1. **Checks** (optimistic concurrency): every row the command read is locked and must
   still be the version it read (``xmin``, which every update changes): ``FOR SHARE`` for
   a row it relied on, ``FOR NO KEY UPDATE`` for a row it changes. A row changed
   meanwhile makes the whole statement write nothing; the caller reads again and decides
   again (:func:`services.planner.handlers.retries.retried`).
2. **Writes**, each only when every check passed: new rows, changed rows (every column;
   ``updated_at = now()``), and the outbox rows of the events recorded, in order; it
   answers with them, for the unit of work to hand to the relay
   (:mod:`shared.messaging.outbox_handoff`).

Rows go in as one JSON array per table and kind of write
(``jsonb_populate_recordset``), so the text of the statement depends only on which
tables it touches: PostgreSQL and asyncpg keep a handful of prepared statements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from services.planner.adapters.records import RecordType

OUTBOX_COLUMNS = ("event_id", "subject", "type", "sequence", "body")
CHECKED = "(SELECT ok FROM checked)"


@dataclass(frozen=True)
class _Write:
    head: str
    conditions: tuple[str, ...] = ()
    tail: str = ""

    def sql(self, *, checked: bool) -> str:
        conditions = [*self.conditions, *([CHECKED] if checked else [])]
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        return f"{self.head}{where}{self.tail}"


@dataclass
class CommitStatement:
    outbox_table: str
    _ctes: list[str] = field(default_factory=list)
    _arguments: list[Any] = field(default_factory=list)
    _checks: list[str] = field(default_factory=list)
    _writes: list[_Write] = field(default_factory=list)
    _outbox: _Write | None = None

    def check(self, record: RecordType[Any], rows: Sequence[dict[str, Any]], *, lock: str) -> None:
        """``rows`` (key columns and ``xmin``) must be unchanged; locked ``FOR lock``."""
        if not rows:
            return
        name = f"checked_{record.name}_{lock.replace(' ', '_').lower()}"
        given = ", ".join([*(f'"{c}" {t}' for c, t in record.key.items()), "xmin xid"])
        matches = " AND ".join([*(f't."{c}" = g."{c}"' for c in record.key), "t.xmin = g.xmin"])
        argument = self._argument(rows)
        self._ctes.append(
            f"{name} AS (SELECT 1 FROM {record.table} t "
            f"JOIN jsonb_to_recordset({argument}) AS g({given}) ON {matches} FOR {lock} OF t)"
        )
        self._checks.append(f"(SELECT count(*) FROM {name}) = {len(rows)}")

    def insert(self, record: RecordType[Any], rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = ", ".join(f'"{c}"' for c in record.columns)
        self._writes.append(
            _Write(
                f"INSERT INTO {record.table} ({columns}) SELECT {columns} "
                f"FROM jsonb_populate_recordset(NULL::{record.table}, {self._argument(rows)})"
            )
        )

    def update(self, record: RecordType[Any], rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        changed = [c for c in record.columns if c not in record.key]
        targets = [f'"{c}"' for c in changed] + (["updated_at"] if record.touched else [])
        values = [f'r."{c}"' for c in changed] + (["now()"] if record.touched else [])
        keys = " AND ".join(f't."{c}" = r."{c}"' for c in record.key)
        self._writes.append(
            _Write(
                f"UPDATE {record.table} t SET ({', '.join(targets)}) = ROW({', '.join(values)}) "
                f"FROM jsonb_populate_recordset(NULL::{record.table}, {self._argument(rows)}) r",
                (keys,),
            )
        )

    def outbox(self, rows: Sequence[dict[str, Any]], *, handed_for: float | None) -> None:
        """Events in the order given (their positions in the outbox follow it).

        ``handed_for``: the rows will be handed to this process's relay, which they are
        left to for these seconds (``next_attempt_at``) — each that is the oldest pending
        event of its subject; the others any relay may claim at once, in order. The
        statement answers with the rows written and whether each is ``handed``.
        """
        if not rows:
            return
        columns = ", ".join(OUTBOX_COLUMNS)
        table = self.outbox_table
        given = f"jsonb_populate_recordset(NULL::{table}, {self._argument(rows)})"
        if handed_for is None:
            due = "now()"
        else:
            waiting = (
                f"SELECT 1 FROM {table} o WHERE o.subject = r.subject AND o.published_at IS NULL"
            )
            grace = self._argument(handed_for, "float8")
            due = (
                f"CASE WHEN EXISTS ({waiting}) THEN now() "
                f"ELSE clock_timestamp() + make_interval(secs => {grace}) END"
            )
        self._outbox = _Write(
            f"INSERT INTO {table} ({columns}, next_attempt_at) "
            f"SELECT {', '.join(f'r.{c}' for c in OUTBOX_COLUMNS)}, {due} "
            f"FROM {given} WITH ORDINALITY AS r",
            tail=" ORDER BY r.ordinality RETURNING position, event_id, subject, type, "
            "body::text AS body, created_at, next_attempt_at > now() AS handed",
        )

    @property
    def empty(self) -> bool:
        return not self._writes and self._outbox is None

    def sql(self) -> tuple[str, list[Any]]:
        """The statement. It answers whether every check passed (``ok``, and so it wrote),
        with the outbox rows it wrote, one per row (or one row without them)."""
        ctes = list(self._ctes)
        checked = bool(self._checks)
        if checked:
            ctes.append(f"checked AS (SELECT {' AND '.join(self._checks)} AS ok)")
        else:
            ctes.append("checked AS (SELECT true AS ok)")
        for index, write in enumerate(self._writes):
            ctes.append(f"write_{index} AS ({write.sql(checked=checked)})")
        if self._outbox is None:
            answer = "SELECT ok FROM checked"
        else:
            ctes.append(f"outbox_rows AS ({self._outbox.sql(checked=checked)})")
            answer = (
                "SELECT c.ok, o.* FROM checked c LEFT JOIN outbox_rows o ON true "
                "ORDER BY o.position"
            )
        return f"WITH {', '.join(ctes)} {answer}", self._arguments

    def _argument(self, value: object, kind: str = "jsonb") -> str:
        self._arguments.append(value)
        return f"${len(self._arguments)}::{kind}"
