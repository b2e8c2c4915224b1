"""Tables of the ``planner`` schema and their imperative mapping onto the domain classes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, TypeAdapter
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
    event,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import registry, relationship
from sqlalchemy.types import TypeDecorator

from services.planner.domain.hearings import Hearing
from services.planner.domain.items import Item
from services.planner.domain.meetings import Meeting
from services.planner.domain.organizations import Organization
from services.planner.domain.sessions import Committee, Session, WorkPlan
from shared.contract.values import Participant, Person
from shared.db.inbox import inbox_table
from shared.db.naming import schema_metadata
from shared.db.outbox import outbox_table

SCHEMA = "planner"
metadata = schema_metadata(SCHEMA)
mapper_registry = registry(metadata=metadata)


class ModelList(TypeDecorator[list[Any]]):
    """A JSONB list of frozen pydantic values (people, participants)."""

    impl = JSONB
    cache_ok = True

    def __init__(self, model: type[BaseModel]) -> None:
        super().__init__()
        self.model = model
        self._adapter = TypeAdapter(list[model])  # type: ignore[valid-type]

    def process_bind_param(self, value: list[Any] | None, dialect: Dialect) -> Any:
        return None if value is None else [v.model_dump(mode="json") for v in value]

    def process_result_value(self, value: Any, dialect: Dialect) -> list[Any] | None:
        return None if value is None else list(self._adapter.validate_python(value))


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
    Column("invitees", ModelList(Person), nullable=False),
    Column("witnesses", ModelList(Person), nullable=False),
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
    Column("participants", ModelList(Participant), nullable=False),
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


def start_mappers() -> None:
    """Map the domain classes onto the tables (once per process; idempotent)."""
    if mapper_registry.mappers:
        return
    mapper_registry.map_imperatively(Organization, organizations)
    mapper_registry.map_imperatively(Committee, committees)
    mapper_registry.map_imperatively(Session, sessions, properties=_parent(Committee))
    mapper_registry.map_imperatively(WorkPlan, work_plans)
    mapper_registry.map_imperatively(
        Item, items, properties=_parent(WorkPlan), exclude_properties=["search_text"]
    )
    mapper_registry.map_imperatively(Hearing, hearings, properties=_parent(Item))
    mapper_registry.map_imperatively(Meeting, meetings, properties=_parent(Item))
    for aggregate in (Item, Hearing, Meeting):
        event.listen(aggregate, "load", _fresh_event_list)


def _parent(parent: type) -> dict[str, Any]:
    """A never-loaded link to the parent: it only tells the flush to insert parents first."""
    return {"_parent": relationship(parent, lazy="raise", viewonly=False)}


def _fresh_event_list(target: Item | Hearing | Meeting, _context: object) -> None:
    target.events = []
