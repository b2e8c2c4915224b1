"""The inbox: a consumer records ``source`` + ``id`` in the same transaction as its effect.

A repeat of an event (redelivery, re-publish after a relay crash, a sender's retry) finds
its key already there, and the consumer skips the effect.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Column, DateTime, MetaData, PrimaryKeyConstraint, Table, Text, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contract import CloudEvent


def inbox_table(metadata: MetaData) -> Table:
    return Table(
        "inbox",
        metadata,
        Column("source", Text, nullable=False),
        Column("event_id", Text, nullable=False),
        Column("type", Text, nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("source", "event_id"),
    )


class InboxRecorder:
    """Records events as processed; tells whether one was already."""

    def __init__(self, table: Table) -> None:
        self._table = table

    async def record(self, session: AsyncSession, event: CloudEvent) -> bool:
        """Record the event in the session's transaction; ``False`` when it is a repeat."""
        statement = (
            insert(self._table)
            .values(source=event.source, event_id=event.id, type=event.type)
            .on_conflict_do_nothing(index_elements=["source", "event_id"])
            .returning(self._table.c.event_id)
        )
        result = await session.execute(statement)
        return result.first() is not None

    async def record_many(
        self, session: AsyncSession, events: Sequence[CloudEvent]
    ) -> set[tuple[str, str]]:
        """Record several events in one statement; returns (source, id) of the new ones."""
        if not events:
            return set()
        table = self._table
        statement = (
            insert(table)
            .on_conflict_do_nothing(index_elements=["source", "event_id"])
            .returning(table.c.source, table.c.event_id)
        )
        rows = [{"source": e.source, "event_id": e.id, "type": e.type} for e in events]
        result = await session.execute(statement, rows)
        return {(row[0], row[1]) for row in result}
