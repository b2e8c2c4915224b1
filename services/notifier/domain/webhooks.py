"""Webhook endpoints: where a recipient (usually another system) takes signed deliveries."""

from __future__ import annotations

import base64
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from services.notifier.domain.errors import RuleViolation

SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix Standard Webhooks secrets carry


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RuleViolation(f"webhook URL {url!r} must be an absolute http(s) URL")
    if parts.username or parts.password:
        raise RuleViolation("a webhook URL must not carry credentials; it is signed instead")
    return url


@dataclass(eq=False)
class WebhookEndpoint:
    recipient_id: uuid.UUID
    url: str
    secret: str = field(default_factory=new_secret, repr=False)
    description: str | None = None
    enabled: bool = True
    disabled_reason: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        check_url(self.url)

    def disable(self, reason: str) -> None:
        self.enabled, self.disabled_reason = False, reason

    def enable(self) -> None:
        self.enabled, self.disabled_reason = True, None

    def rotate_secret(self) -> str:
        self.secret = new_secret()
        return self.secret
