"""A work-plan item: what the committee means to do in the session, and how far it got."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.planner.domain.errors import Conflict, RuleViolation
from services.planner.domain.recorded import RecordedEvent, RecordsEvents
from shared.contract.items import ItemCreated, ItemStatusChanged, ItemUpdated
from shared.contract.values import Classification, ItemCategory, ItemStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    "planned": frozenset({"in_progress", "deferred", "cancelled", "completed"}),
    "in_progress": frozenset({"completed", "deferred", "cancelled"}),
    "deferred": frozenset({"planned", "in_progress", "cancelled"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
}
OPEN_STATUSES = frozenset({"planned", "in_progress"})
UPDATABLE_FIELDS = (
    "title",
    "description",
    "category",
    "organizations",
    "owners",
    "period_start",
    "period_end",
    "classification",
    "tags",
)


@dataclass(eq=False)
class Item(RecordsEvents):
    work_plan_id: uuid.UUID
    committee: str
    session: str
    title: dict[str, str]
    category: ItemCategory
    classification: Classification = "public"
    description: dict[str, str] = field(default_factory=dict)
    organizations: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    period_start: date | None = None
    period_end: date | None = None
    tags: list[str] = field(default_factory=list)
    ref: str | None = None
    status: ItemStatus = "planned"
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    version: int = 0
    events: list[RecordedEvent] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        _check_period(self.period_start, self.period_end)

    @classmethod
    def create(cls, **fields: Any) -> Item:
        item = cls(**fields)
        item._record(ItemCreated(**item.snapshot()))
        return item

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def update(self, changes: dict[str, Any]) -> list[str]:
        """Apply the changes; record ``item.updated`` naming what really changed."""
        unknown = set(changes) - set(UPDATABLE_FIELDS)
        if unknown:
            raise RuleViolation(
                f"these item fields cannot be updated: {', '.join(sorted(unknown))}"
            )
        changed = [
            name
            for name in UPDATABLE_FIELDS
            if name in changes and changes[name] != getattr(self, name)
        ]
        if not changed:
            return []
        _check_period(
            changes.get("period_start", self.period_start),
            changes.get("period_end", self.period_end),
        )
        for name in changed:
            setattr(self, name, changes[name])
        self._record(ItemUpdated(**self.snapshot(), changed=changed))
        return changed

    def change_status(self, status: ItemStatus, reason: str | None = None) -> bool:
        """Move along the lifecycle; ``False`` when it already has that status."""
        if status == self.status:
            return False
        if status not in TRANSITIONS[self.status]:
            allowed = ", ".join(sorted(TRANSITIONS[self.status])) or "none: it is final"
            raise Conflict(
                f"item {self.id} cannot go from {self.status} to {status} (allowed: {allowed})"
            )
        previous, self.status = self.status, status
        self._record(ItemStatusChanged(**self.snapshot(), previous_status=previous, reason=reason))
        return True

    def note_activity(self, what: str) -> None:
        """A hearing or meeting happened for this item: a planned item is now in progress."""
        if self.status == "planned":
            self.change_status("in_progress", reason=what)

    def snapshot(self) -> dict[str, Any]:
        return {
            "item_id": self.id,
            "committee": self.committee,
            "session": self.session,
            "ref": self.ref,
            "title": self.title,
            "description": self.description,
            "category": self.category,
            "organizations": self.organizations,
            "owners": self.owners,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "status": self.status,
            "classification": self.classification,
            "tags": self.tags,
        }


def _check_period(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise RuleViolation(f"the item's period ends ({end}) before it starts ({start})")
