"""The unit of work: what a command read, and everything it changed, committed at once.

Reads run on one connection, outside any transaction unless the command asks for a lock
(``for_update``, the calendar lock, the inbox): then a transaction starts and holds the
locks until the commit. Each row read becomes one object (an identity map) and is
remembered as read. :meth:`SqlUnitOfWork.commit` sends one statement
(:class:`~services.planner.adapters.commit_statement.CommitStatement`) that checks every
row read is unchanged, inserts the new aggregates, updates the changed ones and writes
the recorded events to the outbox; a row changed meanwhile raises
:class:`~services.planner.handlers.ports.ChangedMeanwhile` and nothing is written. The
outbox rows written are handed to the relay of this process, which publishes them at once
(:mod:`shared.messaging.outbox_handoff`).

A command that takes no lock (scheduling a hearing, say) makes its reads and that one
statement: no ``BEGIN``, no ``COMMIT``, no lock held between round trips.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Self, TypeVar

import asyncpg

from services.planner.adapters.commit_statement import CommitStatement
from services.planner.adapters.records import RECORD_TYPES, WRITE_ORDER, RecordType
from services.planner.adapters.repositories import (
    KnownOrganizations,
    SqlHearingRepository,
    SqlItemRepository,
    SqlMeetingRepository,
    SqlOrganizationRepository,
    SqlPlanRepository,
)
from services.planner.domain.errors import RuleViolation
from services.planner.domain.recorded import RecordsEvents
from services.planner.handlers.ports import ChangedMeanwhile
from shared.contract import CloudEvent, new_event
from shared.contract.amqp_binding import MAX_BODY_BYTES
from shared.db.pool import CONNECTION_LOST, Database
from shared.messaging.outbox_handoff import OutboxHandoff
from shared.observability.tracing import current_traceparent

A = TypeVar("A")
OUTBOX, INBOX = "planner.outbox", "planner.inbox"


class _Read:
    """A row as read, and the object made from it."""

    __slots__ = ("aggregate", "key", "record", "row", "xmin")

    def __init__(self, record: RecordType[Any], row: asyncpg.Record, aggregate: Any) -> None:
        self.record = record
        self.row = row
        self.xmin = row["xmin"]
        self.key = record.key_of(row)
        self.aggregate = aggregate


class SqlUnitOfWork:
    def __init__(
        self,
        database: Database,
        *,
        source: str,
        handoff: OutboxHandoff | None = None,
        known_organizations: KnownOrganizations | None = None,
    ) -> None:
        self._database = database
        self._source = source
        self._handoff = handoff
        self._known_organizations = known_organizations or KnownOrganizations()
        """Where the committed outbox rows go at once: the relay of this process."""
        self._connection: asyncpg.Connection | None = None

    @property
    def source(self) -> str:
        return self._source

    async def __aenter__(self) -> Self:
        self._connection = None
        self._transaction: Any = None
        self._statements = 0
        self._read: dict[tuple[str, tuple[Any, ...]], _Read] = {}
        self._added: list[tuple[RecordType[Any], Any]] = []
        self.organizations = SqlOrganizationRepository(self, self._known_organizations)
        self.plans = SqlPlanRepository(self)
        self.items = SqlItemRepository(self)
        self.hearings = SqlHearingRepository(self)
        self.meetings = SqlMeetingRepository(self)
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Roll back anything uncommitted and hand the connection back; the objects read
        stay readable."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if self._transaction is not None and not connection.is_closed():
                await self._transaction.rollback()
        finally:
            self._transaction = None
            await self._database.release(connection)

    # --- reading (for the repositories) ---------------------------------------------------

    async def fetch(self, sql: str, *arguments: Any) -> list[asyncpg.Record]:
        """Rows of a query."""
        rows: list[asyncpg.Record] = await self._on_connection(
            lambda connection: connection.fetch(sql, *arguments)
        )
        return rows

    async def _on_connection(
        self, operation: Callable[[asyncpg.Connection], Awaitable[Any]]
    ) -> Any:
        """Run one statement. A connection found broken by the first statement is replaced
        (the server restarted since it was last used); later, the error is the caller's."""
        connection = self._connection or await self._connect()
        first = self._statements == 0
        self._statements += 1
        try:
            return await operation(connection)
        except CONNECTION_LOST:
            await self._database.expire()
            if not first:
                raise
            await self._database.release(connection)
            self._connection = None
            return await operation(await self._connect())

    async def load(
        self, record: RecordType[A], sql: str, *arguments: Any, lock: bool = False
    ) -> list[A]:
        """The aggregates a query finds (``lock``: ``FOR UPDATE``, held until the commit);
        a row read before gives the same object as before."""
        if lock:
            await self.begin()
            sql = f"{sql} FOR UPDATE OF t"
        found = []
        for row in await self.fetch(sql, *arguments):
            key = (record.table, record.key_of(row))
            read = self._read.get(key)
            if read is None:
                read = _Read(record, row, record.load(row))
                self._read[key] = read
            found.append(read.aggregate)
        return found

    async def load_one(
        self, record: RecordType[A], sql: str, *arguments: Any, lock: bool = False
    ) -> A | None:
        found = await self.load(record, sql, *arguments, lock=lock)
        return found[0] if found else None

    def add(self, aggregate: object) -> None:
        self._added.append((RECORD_TYPES[type(aggregate)], aggregate))

    async def begin(self) -> None:
        """From here on, in a transaction (locks are held until the commit)."""
        if self._transaction is None:

            async def start(connection: asyncpg.Connection) -> None:
                self._transaction = connection.transaction()
                await self._transaction.start()

            await self._on_connection(start)

    async def _connect(self) -> asyncpg.Connection:
        self._connection = await self._database.acquire()
        return self._connection

    # --- the unit of work -------------------------------------------------------------------

    async def commit(self) -> None:
        statement = self._statement()
        written: list[asyncpg.Record] = []
        if not statement.empty:
            sql, arguments = statement.sql()
            connection = self._connection or await self._connect()
            try:
                written = await connection.fetch(sql, *arguments)
            except asyncpg.DeadlockDetectedError as exc:  # two commands locked in turn
                raise ChangedMeanwhile(str(exc)) from exc
            if not written[0]["ok"]:
                raise ChangedMeanwhile("a row this change relied on was changed meanwhile")
        if self._transaction is not None:
            await self._transaction.commit()
            self._transaction = None
        self._after_commit()
        if self._handoff is not None:
            self._handoff.hand_over([row for row in written if row.get("handed")])

    async def seen_before(self, event: CloudEvent) -> bool:
        await self.begin()
        inserted = await self.fetch(
            f"INSERT INTO {INBOX} (source, event_id, type) VALUES ($1, $2, $3) "  # noqa: S608
            "ON CONFLICT DO NOTHING RETURNING 1",
            event.source,
            event.id,
            event.type,
        )
        return not inserted

    def _statement(self) -> CommitStatement:
        """Check every row read (locked to be updated, or shared when only relied on);
        insert what was added, update what changed; then the events."""
        statement = CommitStatement(OUTBOX)
        changed: dict[str, list[dict[str, Any]]] = {}
        checks = {"NO KEY UPDATE": dict[str, list[dict[str, Any]]](), "SHARE": {}}
        for read in self._read.values():
            table = read.record.table
            values = read.record.values(read.aggregate)
            check = {**dict(zip(read.record.key, read.key, strict=True)), "xmin": read.xmin}
            if any(values[column] != read.row[column] for column in read.record.columns):
                changed.setdefault(table, []).append(values)
                checks["NO KEY UPDATE"].setdefault(table, []).append(check)
            else:
                checks["SHARE"].setdefault(table, []).append(check)
        for record in sorted(WRITE_ORDER, key=lambda record: record.table):  # one lock order
            for lock, rows in checks.items():
                statement.check(record, _in_key_order(rows.get(record.table, [])), lock=lock)
        for record in WRITE_ORDER:
            statement.insert(record, [record.values(a) for r, a in self._added if r is record])
            statement.update(record, changed.get(record.table, []))
        statement.outbox(
            [_outbox_row(event) for event in self._events()],
            handed_for=(
                self._handoff.grace_seconds if self._handoff and self._handoff.attached else None
            ),
        )
        return statement

    def _events(self) -> list[CloudEvent]:
        """The events recorded, items' first, then hearings' and meetings' (each subject's
        in the order recorded)."""
        events: list[CloudEvent] = []
        traceparent = current_traceparent()  # the request's trace goes on in every consumer
        aggregates = [aggregate for _, aggregate in self._added]
        aggregates += [read.aggregate for read in self._read.values()]
        aggregates.sort(key=lambda aggregate: WRITE_ORDER.index(RECORD_TYPES[type(aggregate)]))
        for aggregate in aggregates:
            if isinstance(aggregate, RecordsEvents):
                for recorded in aggregate.events:
                    events.append(
                        new_event(
                            recorded.data,
                            source=self._source,
                            sequence=recorded.sequence,
                            traceparent=traceparent,
                        )
                    )
        return events

    def _after_commit(self) -> None:
        """What was written is now what was read: the recorded events are out."""
        for _, aggregate in self._added:
            if isinstance(aggregate, RecordsEvents):
                aggregate.events.clear()
        for read in self._read.values():
            if isinstance(read.aggregate, RecordsEvents):
                read.aggregate.events.clear()
        self._added.clear()
        self._read.clear()


def _in_key_order(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: [str(value) for value in row.values()])


def _outbox_row(event: CloudEvent) -> dict[str, Any]:
    body = event.to_json_dict()
    _check_size(body)
    return {
        "event_id": event.id,
        "subject": event.subject or event.id,
        "type": event.type,
        "sequence": event.sequence_number,
        "body": body,
    }


def _check_size(body: dict[str, Any]) -> None:
    """A change whose event no consumer would take (over the bus's body limit) is refused."""
    # as the relay sends it: the outbox's JSONB text, which separates with ", " and ": "
    size = len(json.dumps(body, ensure_ascii=False).encode())
    if size > MAX_BODY_BYTES:
        raise RuleViolation(
            f"this change would make an event of {size:,} bytes, over the {MAX_BODY_BYTES:,} "
            "an event may hold: shorten its texts"
        )
