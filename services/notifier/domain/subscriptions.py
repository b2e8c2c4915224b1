"""Who wants to hear about what: subscriptions, mandatory notices, and routing a notice.

A subscription names a recipient, a channel (e-mail, webhook, inbox), a mode (immediate
or daily digest, e-mail only) and filters: an event type (exact, or a prefix ending in
``*``), a committee, an item, an organisation. A muted subscription delivers nothing,
except mandatory notices: an administrator marks event types (optionally of one
committee) mandatory, and those reach every recipient with a subscription whose
committee, item and organisation filters match, whatever its type filter, muted or not,
immediately.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from difflib import get_close_matches
from typing import Literal

from services.notifier.domain.errors import RuleViolation
from services.notifier.domain.notices import Notice
from services.notifier.domain.recipients import Recipient
from services.notifier.domain.webhooks import WebhookEndpoint
from shared.contract.registry import EVENT_TYPES

Channel = Literal["email", "webhook", "inbox"]
Mode = Literal["immediate", "digest"]
CHANNELS: tuple[Channel, ...] = ("email", "webhook", "inbox")
TYPE_PATTERN = re.compile(r"^(\*|[A-Za-z0-9._:-]+\*?)$")


def check_type_pattern(pattern: str) -> str:
    if not TYPE_PATTERN.fullmatch(pattern):  # match() would let a trailing newline through
        raise RuleViolation(
            f"event type {pattern!r} must be a type (workplan.hearing.cancelled.v1), a prefix "
            "ending in * (workplan.hearing.*), or * for every type"
        )
    if not any(type_matches(pattern, known) for known in EVENT_TYPES):
        families = sorted({known.rsplit(".", 2)[0] + ".*" for known in EVENT_TYPES})
        close = get_close_matches(pattern, [*sorted(EVENT_TYPES), *families], n=1)
        hint = f"did you mean {close[0]}?" if close else f"the families: {', '.join(families)}"
        raise RuleViolation(f"event type {pattern!r} matches none of the event types; {hint}")
    return pattern


def type_matches(pattern: str, event_type: str) -> bool:
    if pattern.endswith("*"):
        return event_type.startswith(pattern[:-1])
    return event_type == pattern


@dataclass(eq=False)
class Subscription:
    recipient_id: uuid.UUID
    channel: Channel
    event_type: str = "*"
    mode: Mode = "immediate"
    committee: str | None = None
    item_id: uuid.UUID | None = None
    organization: str | None = None
    muted: bool = False
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        check_type_pattern(self.event_type)
        if self.mode == "digest" and self.channel != "email":
            raise RuleViolation(f"a daily digest is sent by e-mail only, not by {self.channel}")

    def in_scope(self, notice: Notice) -> bool:
        """Committee, item and organisation filters (the event type aside) match."""
        return (
            (self.committee is None or self.committee == notice.committee)
            and (self.item_id is None or self.item_id == notice.item_id)
            and (self.organization is None or self.organization in notice.organizations)
        )

    def wants(self, notice: Notice) -> bool:
        return (
            not self.muted
            and type_matches(self.event_type, notice.event_type)
            and (self.in_scope(notice))
        )


@dataclass(eq=False)
class MandatoryNotice:
    """Event types that muting cannot silence, for every committee or one."""

    event_type: str
    committee: str | None = None
    description: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        check_type_pattern(self.event_type)

    def covers(self, notice: Notice) -> bool:
        return type_matches(self.event_type, notice.event_type) and (
            self.committee is None or self.committee == notice.committee
        )


@dataclass(frozen=True)
class Candidate:
    """A subscription with its recipient and the recipient's webhook endpoint, if any."""

    subscription: Subscription
    recipient: Recipient
    endpoint: WebhookEndpoint | None = None


@dataclass(frozen=True)
class Route:
    """One notification to make: a recipient on a channel, now or in the digest."""

    recipient: Recipient
    channel: Channel
    mode: Mode
    subscription: Subscription
    mandatory: bool
    endpoint: WebhookEndpoint | None = None


def route(notice: Notice, candidates: Iterable[Candidate], *, mandatory: bool) -> list[Route]:
    """One route per (recipient, channel): immediate wins over digest; mandatory over muting.

    A restricted notice goes to cleared recipients only (and to them redacted): an
    uncleared one learns nothing of it, not even that it exists."""
    chosen: dict[tuple[uuid.UUID, Channel], Route] = {}
    for candidate in candidates:
        subscription, recipient = candidate.subscription, candidate.recipient
        if not recipient.active or (notice.restricted and not recipient.cleared):
            continue
        endpoint = candidate.endpoint if subscription.channel == "webhook" else None
        if subscription.channel == "webhook" and (endpoint is None or not endpoint.enabled):
            continue
        if mandatory:
            if not subscription.in_scope(notice):
                continue
            mode: Mode = "immediate"
        elif subscription.wants(notice):
            mode = subscription.mode
        else:
            continue
        key = (recipient.id, subscription.channel)
        current = chosen.get(key)
        if current is None or (current.mode == "digest" and mode == "immediate"):
            chosen[key] = Route(
                recipient, subscription.channel, mode, subscription, mandatory, endpoint
            )
    return sorted(chosen.values(), key=lambda r: (str(r.recipient.id), r.channel))
