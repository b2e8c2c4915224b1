"""The in-app inbox: one notification per event and recipient, read or unread."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass(frozen=True)
class Notification:
    recipient_id: uuid.UUID
    delivery_id: uuid.UUID
    event_type: str
    title: str
    body: str
    link: str
    restricted: bool
    subject: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    read_at: datetime | None = None
