"""Tables of the ``planner`` schema: the metadata its migrations are checked against.

The planner reads and writes them with SQL of its own on asyncpg
(:mod:`services.planner.adapters.records`, :mod:`services.planner.adapters.repositories`,
:mod:`services.planner.adapters.unit_of_work`), not through an ORM.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from services.planner.adapters.records import SCHEMA
from shared.db.inbox import inbox_table
from shared.db.naming import schema_metadata
from shared.db.outbox import outbox_table

metadata = schema_metadata(SCHEMA)


def _created() -> Column[Any]:
    return Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now())


def _updated() -> Column[Any]:
    return Column(
        "updated_at",
        DateTime(timezone=True),
        nullable=False,
        server_default=func.now(),
        onupdate=func.now(),
    )


organizations = Table(
    "organizations",
    metadata,
    Column("code", Text, primary_key=True),
    Column("name", JSONB, nullable=False),
    Column("abbreviation", JSONB, nullable=False, server_default=text("'{}'")),
    Column("classification", Text, nullable=False),
    Column("identifiers", JSONB, nullable=False, server_default=text("'{}'")),
    _created(),
)

committees = Table(
    "committees",
    metadata,
    Column("code", Text, primary_key=True),
    Column("name", JSONB, nullable=False),
    Column("parliament", JSONB, nullable=False, server_default=text("'{}'")),
    _created(),
)

sessions = Table(
    "sessions",
    metadata,
    Column("committee_code", Text, ForeignKey("committees.code"), primary_key=True),
    Column("code", Text, primary_key=True),
    Column("name", JSONB, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("timezone", Text, nullable=False),
    _created(),
)

work_plans = Table(
    "work_plans",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("committee_code", Text, nullable=False),
    Column("session_code", Text, nullable=False),
    UniqueConstraint("committee_code", "session_code"),
    _created(),
)

items = Table(
    "items",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("work_plan_id", UUID(as_uuid=True), ForeignKey("work_plans.id"), nullable=False),
    Column("committee", Text, nullable=False),
    Column("session", Text, nullable=False),
    Column("ref", Text, nullable=True),
    Column("title", JSONB, nullable=False),
    Column("description", JSONB, nullable=False),
    Column("category", Text, nullable=False),
    Column("organizations", ARRAY(Text), nullable=False),
    Column("owners", ARRAY(Text), nullable=False),
    Column("period_start", Date, nullable=True),
    Column("period_end", Date, nullable=True),
    Column("status", Text, nullable=False),
    Column("classification", Text, nullable=False),
    Column("tags", ARRAY(Text), nullable=False),
    Column("version", Integer, nullable=False),
    _created(),
    _updated(),
    # the folded words an item is found by, kept by a trigger (migration 0004_item_search_text)
    Column("search_text", Text, nullable=False, server_default=""),
    UniqueConstraint("work_plan_id", "ref"),
    Index("ix_items_organizations", "organizations", postgresql_using="gin"),
    Index(
        "ix_items_search_text",
        "search_text",
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    ),
)

hearings = Table(
    "hearings",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("item_id", UUID(as_uuid=True), ForeignKey("items.id"), nullable=False, index=True),
    Column("committee", Text, nullable=False),
    Column("session", Text, nullable=False),
    Column("timezone", Text, nullable=False),
    Column("classification", Text, nullable=False),
    Column("title", JSONB, nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("location", Text, nullable=True),
    Column("format", Text, nullable=False),
    Column("invitees", JSONB, nullable=False),
    Column("witnesses", JSONB, nullable=False),
    Column("organizations", ARRAY(Text), nullable=False),
    Column("status", Text, nullable=False),
    Column("cancel_reason", Text, nullable=True),
    Column("previous_starts_at", DateTime(timezone=True), nullable=True),
    Column("held_at", DateTime(timezone=True), nullable=True),
    Column("summary", JSONB, nullable=False),
    Column("version", Integer, nullable=False),
    _created(),
    _updated(),
    Index("ix_hearings_committee_starts_at", "committee", "starts_at"),
)

meetings = Table(
    "meetings",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("source", Text, nullable=False),
    Column("external_id", Text, nullable=False),
    Column("item_id", UUID(as_uuid=True), ForeignKey("items.id"), nullable=True, index=True),
    Column("committee", Text, nullable=True),
    Column("session", Text, nullable=True),
    Column("organizations", ARRAY(Text), nullable=False),
    Column("title", JSONB, nullable=False),
    Column("held_at", DateTime(timezone=True), nullable=False),
    Column("location", Text, nullable=True),
    Column("participants", JSONB, nullable=False),
    Column("summary", JSONB, nullable=False),
    Column("outcomes", JSONB, nullable=False),
    Column("reported_by", Text, nullable=True),
    Column("declared_classification", Text, nullable=False),
    Column("classification", Text, nullable=False),
    Column("unlinked_reason", Text, nullable=True),
    Column("version", Integer, nullable=False),
    _created(),
    _updated(),
    UniqueConstraint("source", "external_id"),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
