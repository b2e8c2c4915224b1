"""How each of the planner's aggregates is one row of its table, both ways.

An attribute of the domain class is the column of the same name. Loading makes the object
without calling its constructor (the rules checked there were checked when it was made),
with an empty list of recorded events; writing turns it back into column values. People
and participants (pydantic values) are stored as JSONB lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter

from services.planner.domain.hearings import Hearing
from services.planner.domain.items import Item
from services.planner.domain.meetings import Meeting
from services.planner.domain.organizations import Organization
from services.planner.domain.recorded import RecordsEvents
from services.planner.domain.sessions import Committee, Session, WorkPlan
from shared.contract.values import Participant, Person

A = TypeVar("A")
Row = Mapping[str, Any]
SCHEMA = "planner"


@dataclass(frozen=True)
class RecordType(Generic[A]):
    """One kind of aggregate as rows of one table."""

    kind: type[A]
    table: str
    """Schema-qualified: ``planner.items``."""
    key: Mapping[str, str]
    """The primary key's columns and their SQL types."""
    columns: tuple[str, ...]
    """Every column the aggregate holds, the key included (not ``created_at``)."""
    touched: bool = False
    """The table has ``updated_at``, set to ``now()`` by every update."""
    models: Mapping[str, TypeAdapter[Any]] = field(default_factory=dict)
    """JSONB columns holding lists of pydantic values."""

    @property
    def name(self) -> str:
        return self.table.rsplit(".", 1)[-1]

    @property
    def select(self) -> str:
        """The start of a query for whole rows, with ``xmin`` (changed by every update)."""
        return f"SELECT xmin, {', '.join(_quoted(self.columns))} FROM {self.table} t"

    def load(self, row: Row) -> A:
        aggregate = self.kind.__new__(self.kind)
        values = aggregate.__dict__
        for column in self.columns:
            values[column] = row[column]
        for column, adapter in self.models.items():
            values[column] = adapter.validate_python(values[column])
        if isinstance(aggregate, RecordsEvents):
            aggregate.events = []
        return aggregate

    def values(self, aggregate: A) -> dict[str, Any]:
        """Column → value as stored (pydantic values as plain JSON)."""
        values = {column: getattr(aggregate, column) for column in self.columns}
        for column in self.models:
            values[column] = [model.model_dump(mode="json") for model in values[column]]
        return values

    def key_of(self, values: Row) -> tuple[Any, ...]:
        return tuple(values[column] for column in self.key)


def _quoted(columns: tuple[str, ...]) -> list[str]:
    return [f'"{column}"' for column in columns]


ORGANIZATIONS = RecordType(
    Organization,
    "planner.organizations",
    {"code": "text"},
    ("code", "name", "abbreviation", "classification", "identifiers"),
)
COMMITTEES = RecordType(
    Committee, "planner.committees", {"code": "text"}, ("code", "name", "parliament")
)
SESSIONS = RecordType(
    Session,
    "planner.sessions",
    {"committee_code": "text", "code": "text"},
    ("committee_code", "code", "name", "starts_on", "ends_on", "timezone"),
)
WORK_PLANS = RecordType(
    WorkPlan, "planner.work_plans", {"id": "uuid"}, ("id", "committee_code", "session_code")
)
ITEMS = RecordType(
    Item,
    "planner.items",
    {"id": "uuid"},
    (
        "id",
        "work_plan_id",
        "committee",
        "session",
        "ref",
        "title",
        "description",
        "category",
        "organizations",
        "owners",
        "period_start",
        "period_end",
        "status",
        "classification",
        "tags",
        "version",
    ),
    touched=True,
)
HEARINGS = RecordType(
    Hearing,
    "planner.hearings",
    {"id": "uuid"},
    (
        "id",
        "item_id",
        "committee",
        "session",
        "timezone",
        "classification",
        "title",
        "starts_at",
        "ends_at",
        "location",
        "format",
        "invitees",
        "witnesses",
        "organizations",
        "status",
        "cancel_reason",
        "previous_starts_at",
        "held_at",
        "summary",
        "version",
    ),
    touched=True,
    models={"invitees": TypeAdapter(list[Person]), "witnesses": TypeAdapter(list[Person])},
)
MEETINGS = RecordType(
    Meeting,
    "planner.meetings",
    {"id": "uuid"},
    (
        "id",
        "source",
        "external_id",
        "item_id",
        "committee",
        "session",
        "organizations",
        "title",
        "held_at",
        "location",
        "participants",
        "summary",
        "outcomes",
        "reported_by",
        "declared_classification",
        "classification",
        "unlinked_reason",
        "version",
    ),
    touched=True,
    models={"participants": TypeAdapter(list[Participant])},
)

WRITE_ORDER: tuple[RecordType[Any], ...] = (
    ORGANIZATIONS,
    COMMITTEES,
    SESSIONS,
    WORK_PLANS,
    ITEMS,
    HEARINGS,
    MEETINGS,
)
"""Parents before the rows that refer to them."""

RECORD_TYPES: dict[type, RecordType[Any]] = {record.kind: record for record in WRITE_ORDER}
