"""What the handlers need from storage, rendering and the channels; adapters implement it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, Protocol, Self

from services.notifier.domain.deliveries import (
    AttemptResult,
    Delivery,
    DeliveryStatus,
    DeliveryStep,
    DueDelivery,
)
from services.notifier.domain.digests import DigestEntry
from services.notifier.domain.inbox import Notification
from services.notifier.domain.messages import CalendarInvite, NoticeText
from services.notifier.domain.notices import Notice
from services.notifier.domain.recipients import Recipient
from services.notifier.domain.subscriptions import (
    Candidate,
    Channel,
    MandatoryNotice,
    Subscription,
)
from services.notifier.domain.webhooks import WebhookEndpoint
from shared.contract import CloudEvent

Queued = tuple[Delivery, Notification | None]
"""A delivery to store, and the inbox notification it carries (inbox channel only)."""

UnsubscribeScope = tuple[Literal["subscription", "digests"], uuid.UUID]
"""What a one-click unsubscribe link mutes: one subscription, or a recipient's digests."""


@dataclass(frozen=True)
class Page:
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True)
class DeliveryFilter:
    statuses: tuple[DeliveryStatus, ...] = ()
    channel: Channel | None = None
    recipient_id: uuid.UUID | None = None
    event_id: str | None = None
    include_restricted: bool = False
    """Deliveries of restricted notices too (for operators cleared for restricted data)."""


@dataclass(frozen=True)
class DeliveryView:
    id: uuid.UUID
    event_source: str
    event_id: str
    event_type: str
    kind: str
    recipient_id: uuid.UUID
    channel: Channel
    target: str
    status: DeliveryStatus
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    sent_at: datetime | None
    message_id: str | None
    endpoint_id: uuid.UUID | None
    restricted: bool


@dataclass(frozen=True)
class AttemptView:
    attempt: int
    status: DeliveryStatus
    detail: str | None
    at: datetime


class RecipientRepository(Protocol):
    def add(self, recipient: Recipient) -> None: ...
    async def get(self, recipient_id: uuid.UUID) -> Recipient | None: ...
    async def by_email(self, email: str) -> Recipient | None: ...
    async def find(self, page: Page) -> Sequence[Recipient]: ...


class SubscriptionRepository(Protocol):
    def add(self, subscription: Subscription) -> None: ...
    async def get(self, subscription_id: uuid.UUID) -> Subscription | None: ...
    async def find(self, recipient_id: uuid.UUID | None, page: Page) -> Sequence[Subscription]: ...
    async def delete(self, subscription: Subscription) -> None: ...
    async def candidates(self, notice: Notice) -> list[Candidate]:
        """Subscriptions whose committee, item and organisation filters admit the notice."""

    async def mute_digests(self, recipient_id: uuid.UUID) -> int: ...


class WebhookEndpointRepository(Protocol):
    def add(self, endpoint: WebhookEndpoint) -> None: ...
    async def get(self, endpoint_id: uuid.UUID) -> WebhookEndpoint | None: ...
    async def of_recipient(self, recipient_id: uuid.UUID) -> WebhookEndpoint | None: ...
    async def find(self, page: Page) -> Sequence[WebhookEndpoint]: ...
    async def delete(self, endpoint: WebhookEndpoint) -> None: ...


class MandatoryNoticeRepository(Protocol):
    def add(self, notice: MandatoryNotice) -> None: ...
    async def get(self, notice_id: uuid.UUID) -> MandatoryNotice | None: ...
    async def all(self) -> Sequence[MandatoryNotice]: ...
    async def delete(self, notice: MandatoryNotice) -> None: ...


class DeliveryRepository(Protocol):
    async def add_many(self, queued: Sequence[Queued]) -> int:
        """Store deliveries (and their inbox notifications) in a few statements; one whose
        (event, recipient, channel) is there already is left out. Returns how many were."""
        ...

    async def add(self, delivery: Delivery) -> bool:
        """Store it (journal: its status); ``False`` if its (event, recipient, channel) exists."""

    async def get(
        self, delivery_id: uuid.UUID, *, for_update: bool = False
    ) -> DeliveryView | None: ...
    async def find(self, where: DeliveryFilter, page: Page) -> Sequence[DeliveryView]: ...
    async def attempts(self, delivery_id: uuid.UUID) -> Sequence[AttemptView]: ...
    async def requeue(self, delivery_id: uuid.UUID, detail: str) -> None: ...


class NotificationRepository(Protocol):
    async def add(self, notification: Notification) -> None: ...
    async def find(
        self, recipient_id: uuid.UUID, *, unread_only: bool, page: Page
    ) -> Sequence[Notification]: ...
    async def unread_count(self, recipient_id: uuid.UUID) -> int: ...
    async def mark_read(self, recipient_id: uuid.UUID, notification_id: uuid.UUID) -> bool: ...
    async def mark_all_read(self, recipient_id: uuid.UUID) -> int: ...


class DigestRepository(Protocol):
    async def add(self, entry: DigestEntry) -> bool: ...
    async def pending_recipients(self) -> list[uuid.UUID]: ...
    async def pending(self, recipient_id: uuid.UUID, before: datetime) -> list[DigestEntry]:
        """Entries not yet in a digest, locked (``SKIP LOCKED``) for this transaction."""

    async def assign(self, entry_ids: Sequence[uuid.UUID], delivery_id: uuid.UUID) -> None: ...
    async def withdraw(self, entry_ids: Sequence[uuid.UUID]) -> None:
        """Remove entries that may no longer be sent (their item was restricted since)."""


class SubjectVersions(Protocol):
    async def lock(self, subjects: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """The stored version of each (source, subject) (0 when none yet), all locked until
        the commit."""
        ...

    async def advance_many(self, versions: dict[tuple[str, str], int]) -> set[tuple[str, str]]:
        """Store each version that is newer than the stored one; returns the ones stored."""
        ...

    async def advance(self, source: str, subject: str, sequence: int) -> bool:
        """Record the subject's version; ``False`` if an equal or newer one was seen."""


class ItemClassifications(Protocol):
    """What each item is classified as now, as its events said (newest sequence wins)."""

    async def record(self, item_id: uuid.UUID, classification: str, sequence: int) -> None: ...
    async def record_many(self, records: Sequence[tuple[uuid.UUID, str, int]]) -> None:
        """:meth:`record` for several items (one record each)."""
        ...

    async def current(self, item_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple[str, int]]:
        """(classification, sequence) of each item that has one."""
        ...

    async def of(self, item_id: uuid.UUID) -> str | None:
        """The item's classification, or ``None`` if no event about it was seen."""

    async def restricted(self, item_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        """Those of the items that are restricted now."""


class UnitOfWork(Protocol):
    """One transaction: the inbox row and every effect of an event, or of a command."""

    @property
    def recipients(self) -> RecipientRepository: ...
    @property
    def subscriptions(self) -> SubscriptionRepository: ...
    @property
    def endpoints(self) -> WebhookEndpointRepository: ...
    @property
    def mandatory(self) -> MandatoryNoticeRepository: ...
    @property
    def deliveries(self) -> DeliveryRepository: ...
    @property
    def notifications(self) -> NotificationRepository: ...
    @property
    def digests(self) -> DigestRepository: ...
    @property
    def versions(self) -> SubjectVersions: ...
    @property
    def items(self) -> ItemClassifications: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
    async def record_events(self, events: Sequence[CloudEvent]) -> set[tuple[str, str]]:
        """Record the events in the inbox; returns (source, id) of those seen the first time."""
        ...

    async def seen_before(self, event: CloudEvent) -> bool:
        """Record an incoming event in the inbox; ``True`` if it was already processed."""


class NoticeRenderer(Protocol):
    """Turns localized facts into the bytes and texts each channel carries."""

    def message_id(self, delivery_id: uuid.UUID) -> str: ...
    def email(
        self,
        text: NoticeText,
        recipient: Recipient,
        *,
        message_id: str,
        unsubscribe: UnsubscribeScope,
        mandatory: bool,
        invite: CalendarInvite | None,
    ) -> bytes: ...
    def inbox(self, text: NoticeText) -> tuple[str, str]:
        """(title, body) of an inbox notification."""

    def digest_entry(self, text: NoticeText) -> tuple[str, str]:
        """(headline, details) of a digest entry."""

    def digest_email(
        self,
        recipient: Recipient,
        day: date,
        entries: Sequence[DigestEntry],
        *,
        message_id: str,
    ) -> bytes: ...


class DeliveryQueue(Protocol):
    async def claim(self, limit: int, lease_seconds: float) -> list[DueDelivery]:
        """Take up to ``limit`` due deliveries (``SKIP LOCKED``), leased to the caller."""

    async def record(self, steps: Sequence[DeliveryStep]) -> None:
        """Store each attempt's outcome and journal line, in one transaction."""


class ChannelSender(Protocol):
    async def send(self, due: DueDelivery) -> AttemptResult: ...
