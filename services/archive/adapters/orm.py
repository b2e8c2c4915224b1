"""Tables of the ``archive`` schema.

- ``events``: the append-only log, range-partitioned by event ``time`` into months (a
  partition is created when the first event of its month arrives). Triggers refuse
  UPDATE, DELETE and TRUNCATE.
- ``inbox``: ``source`` + ``id`` of every archived event, kept for good (a re-sent event
  is recognised however late it comes).
- ``items``, ``hearings``, ``meetings``: the current state of each subject, the snapshot
  of its event with the highest ``sequence``; ``organizations``: how often each
  organisation is named, per item and classification (so that a reader's counts include
  only what the classification rule lets them see, whatever items are reclassified later).
- ``access_log``: every read of restricted data.
- ``calendar_feeds``: personal calendar feed links: owner, filters, clearance, the SHA-256
  of the token (never the token), last use, revocation.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSON, JSONB, TSVECTOR, UUID

from shared.db.inbox import inbox_table
from shared.db.naming import schema_metadata

SCHEMA = "archive"
metadata = schema_metadata(SCHEMA)


def _moment(name: str, *, nullable: bool = False, **kwargs: Any) -> Column[Any]:
    return Column(name, DateTime(timezone=True), nullable=nullable, **kwargs)


def _codes(name: str) -> Column[Any]:
    return Column(name, ARRAY(Text), nullable=False, server_default=text("'{}'"))


events = Table(
    "events",
    metadata,
    Column("position", BigInteger, Identity(always=True), nullable=False),
    _moment("time"),
    _moment("received_at", server_default=func.now()),
    Column("source", Text, nullable=False),
    Column("event_id", Text, nullable=False),
    Column("type", Text(collation="C"), nullable=False),
    Column("subject", Text, nullable=True),
    Column("sequence", BigInteger, nullable=True),
    Column("known", Boolean, nullable=False),
    Column("mode", Text, nullable=False),
    Column("committee", Text, nullable=True),
    Column("session", Text, nullable=True),
    _codes("organizations"),
    Column("classification", Text, nullable=True),
    Column("item_id", UUID(as_uuid=True), nullable=True),
    Column("envelope", JSON, nullable=False),
    Column("search", TSVECTOR, nullable=False),
    PrimaryKeyConstraint("time", "position"),
    Index("ix_events_search", "search", postgresql_using="gin"),
    Index("ix_events_subject_sequence", "subject", "sequence"),
    Index(
        "ix_events_item_id_time", "item_id", "time", postgresql_where=text("item_id IS NOT NULL")
    ),
    Index("ix_events_type_time", "type", "time"),
    postgresql_partition_by="RANGE (time)",
)

inbox = inbox_table(metadata)


def _read_model(name: str, *key: Column[Any], extra: tuple[Any, ...] = ()) -> Table:
    return Table(
        name,
        metadata,
        *key,
        Column("version", BigInteger, nullable=False),
        Column("committee", Text, nullable=True),
        Column("session", Text, nullable=True),
        Column("status", Text, nullable=True),
        Column("classification", Text, nullable=False),
        _codes("organizations"),
        Column("state", JSONB, nullable=False),
        Column("last_event_type", Text, nullable=False),
        _moment("updated_at"),
        Column("event_position", BigInteger, nullable=False),
        Column("search", TSVECTOR, nullable=False),
        Index(f"ix_{name}_search", "search", postgresql_using="gin"),
        Index(f"ix_{name}_organizations", "organizations", postgresql_using="gin"),
        Index(f"ix_{name}_updated_at", "updated_at"),
        Index(f"ix_{name}_committee_session", "committee", "session"),
        *extra,
    )


items = _read_model(
    "items",
    Column("item_id", UUID(as_uuid=True), primary_key=True),
    extra=(
        Column("category", Text, nullable=True),
        Index(
            "ix_items_restricted", "item_id", postgresql_where=text("classification = 'restricted'")
        ),
    ),
)
hearings = _read_model(
    "hearings",
    Column("hearing_id", UUID(as_uuid=True), primary_key=True),
    extra=(
        Column("item_id", UUID(as_uuid=True), nullable=False),
        Index("ix_hearings_item_id", "item_id"),
        _moment("starts_at"),
        _moment("ends_at"),
        Index("ix_hearings_starts_at", "starts_at"),
    ),
)
meetings = _read_model(
    "meetings",
    Column("source", Text, primary_key=True),
    Column("meeting_id", Text, primary_key=True),
    extra=(
        Column("item_id", UUID(as_uuid=True), nullable=True),
        Index("ix_meetings_item_id", "item_id"),
        _moment("held_at"),
        Index("ix_meetings_held_at", "held_at"),
    ),
)

NO_ITEM = "00000000-0000-0000-0000-000000000000"
"""``organizations.item_id`` of events that name no item."""

organizations = Table(
    "organizations",
    metadata,
    Column("code", Text, primary_key=True),
    Column("item_id", UUID(as_uuid=True), primary_key=True),
    Column("classification", Text, primary_key=True),
    _moment("first_event_at"),
    _moment("last_event_at"),
    Column("events", BigInteger, nullable=False),
)

access_log = Table(
    "access_log",
    metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    _moment("at", server_default=func.now()),
    Column("principal", Text, nullable=False),
    Column("method", Text, nullable=False),
    Column("path", Text, nullable=False),
    Column("query", Text, nullable=False),
    Column("subjects", ARRAY(Text), nullable=False),
    Column("rows", Integer, nullable=False),
    Index("ix_access_log_at", "at"),
    Index("ix_access_log_principal_at", "principal", "at"),
    Index("ix_access_log_subjects", "subjects", postgresql_using="gin"),
)

calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("token_hash", Text, nullable=False, unique=True),
    Column("owner", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("committee", Text, nullable=True),
    Column("organization", Text, nullable=True),
    Column("item_ids", ARRAY(UUID(as_uuid=True)), nullable=False, server_default=text("'{}'")),
    Column("cleared", Boolean, nullable=False),
    Column("created_by", Text, nullable=False),
    _moment("created_at", server_default=func.now()),
    _moment("last_used_at", nullable=True),
    _moment("revoked_at", nullable=True),
    Index("ix_calendar_feeds_owner", "owner"),
)
