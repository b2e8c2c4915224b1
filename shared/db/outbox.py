"""The outbox: events are rows written in the same transaction as the state change.

:class:`shared.messaging.outbox_relay.OutboxRelay` later publishes them with confirms and
marks them sent. A ``NOTIFY <schema>_outbox`` trigger (created by each service's migration,
see :func:`notify_trigger_sql`) wakes the relays as soon as a transaction commits.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    func,
    insert,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contract import CloudEvent


def outbox_table(metadata: MetaData) -> Table:
    return Table(
        "outbox",
        metadata,
        Column("position", BigInteger, Identity(always=True), primary_key=True),
        Column("event_id", Text, nullable=False, unique=True),
        Column("subject", Text, nullable=False),
        Column("type", Text, nullable=False),
        Column("sequence", BigInteger, nullable=True),
        Column("body", JSONB, nullable=False),
        # when the row was written (just before the commit), not when its transaction began
        Column(
            "created_at",
            DateTime(timezone=True),
            nullable=False,
            server_default=func.clock_timestamp(),
        ),
        Column("published_at", DateTime(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Column(
            "next_attempt_at", DateTime(timezone=True), nullable=False, server_default=func.now()
        ),
        Column("last_error", Text, nullable=True),
        Index(
            "ix_outbox_pending",
            "position",
            postgresql_where=text("published_at IS NULL"),
        ),
        Index(
            "ix_outbox_pending_subject",
            "subject",
            "position",
            postgresql_where=text("published_at IS NULL"),
        ),
    )


def notify_channel(schema: str) -> str:
    return f"{schema}_outbox"


def notify_trigger_sql(schema: str) -> tuple[list[str], list[str]]:
    """(upgrade, downgrade) statements for the trigger that NOTIFYs relays on insert."""
    channel = notify_channel(schema)
    upgrade = [
        f"""
        CREATE FUNCTION {schema}.outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{channel}', '');
            RETURN NULL;
        END $$
        """,
        f"""
        CREATE TRIGGER outbox_notify AFTER INSERT ON {schema}.outbox
        FOR EACH STATEMENT EXECUTE FUNCTION {schema}.outbox_notify()
        """,
    ]
    downgrade = [
        f"DROP TRIGGER outbox_notify ON {schema}.outbox",
        f"DROP FUNCTION {schema}.outbox_notify()",
    ]
    return upgrade, downgrade


class OutboxWriter:
    """Adds events to the outbox inside the caller's transaction."""

    def __init__(self, table: Table) -> None:
        self._table = table

    async def add(self, session: AsyncSession, events: Sequence[CloudEvent]) -> None:
        if not events:
            return
        await session.execute(
            insert(self._table),
            [
                {
                    "event_id": event.id,
                    "subject": event.subject or event.id,
                    "type": event.type,
                    "sequence": event.sequence_number,
                    "body": event.to_json_dict(),
                }
                for event in events
            ],
        )
