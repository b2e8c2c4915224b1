"""Payloads of the item events (subject ``item/<item_id>``)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.contract.values import (
    Classification,
    CommitteeCode,
    ContractModel,
    ItemCategory,
    ItemStatus,
    LocalizedText,
    OrganizationCode,
    SessionCode,
    ShortText,
    Tag,
)


class ItemSnapshot(ContractModel):
    """The whole state of a work-plan item after the change the event reports."""

    subject_prefix: ClassVar[str] = "item"

    item_id: UUID
    committee: CommitteeCode
    session: SessionCode
    ref: ShortText | None = Field(default=None, description="Stable key of the item in its plan.")
    title: LocalizedText = Field(min_length=1)
    description: LocalizedText = Field(default_factory=dict)
    category: ItemCategory
    organizations: list[OrganizationCode] = Field(default_factory=list)
    owners: list[ShortText] = Field(default_factory=list)
    period_start: date | None = None
    period_end: date | None = None
    status: ItemStatus
    classification: Classification
    tags: list[Tag] = Field(default_factory=list)

    @property
    def subject(self) -> str:
        return f"item/{self.item_id}"


class ItemCreated(ItemSnapshot):
    """A new item was added to a work plan."""

    event_type: ClassVar[str] = "workplan.item.created.v1"


class ItemUpdated(ItemSnapshot):
    """An item's text, counterparts, owners, period, classification or tags changed."""

    event_type: ClassVar[str] = "workplan.item.updated.v1"

    changed: list[ShortText] = Field(min_length=1, description="Names of the changed fields.")


class ItemStatusChanged(ItemSnapshot):
    """An item moved along planned → in_progress → completed, or was deferred or cancelled."""

    event_type: ClassVar[str] = "workplan.item.status_changed.v1"

    previous_status: ItemStatus
    reason: ShortText | None = None
