"""What administrators, recipients and the workers ask the notifier to do."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from services.notifier.domain.recipients import Language
from services.notifier.domain.subscriptions import Channel, Mode


@dataclass(frozen=True)
class AddRecipient:
    name: str
    email: str
    language: Language = "en"
    timezone: str = "Asia/Baku"
    cleared: bool = False


@dataclass(frozen=True)
class UpdateRecipient:
    recipient_id: uuid.UUID
    changes: dict[str, Any]


@dataclass(frozen=True)
class AddSubscription:
    recipient_id: uuid.UUID
    channel: Channel
    event_type: str = "*"
    mode: Mode = "immediate"
    committee: str | None = None
    item_id: uuid.UUID | None = None
    organization: str | None = None


@dataclass(frozen=True)
class UpdateSubscription:
    subscription_id: uuid.UUID
    changes: dict[str, Any]


@dataclass(frozen=True)
class AddWebhookEndpoint:
    recipient_id: uuid.UUID
    url: str
    description: str | None = None


@dataclass(frozen=True)
class UpdateWebhookEndpoint:
    endpoint_id: uuid.UUID
    changes: dict[str, Any]


@dataclass(frozen=True)
class AddMandatoryNotice:
    event_type: str
    committee: str | None = None
    description: str | None = None
