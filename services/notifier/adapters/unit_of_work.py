"""The unit of work: one transaction for an event's inbox row and every effect it has."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifier.adapters.orm import inbox
from services.notifier.adapters.repositories import (
    SqlDeliveryRepository,
    SqlDigestRepository,
    SqlItemClassifications,
    SqlMandatoryNoticeRepository,
    SqlNotificationRepository,
    SqlRecipientRepository,
    SqlSubjectVersions,
    SqlSubscriptionRepository,
    SqlWebhookEndpointRepository,
)
from shared.contract import CloudEvent
from shared.db.inbox import InboxRecorder


class SqlUnitOfWork:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory
        self._inbox = InboxRecorder(inbox)

    async def __aenter__(self) -> Self:
        self.session = self._session_factory()
        self.recipients = SqlRecipientRepository(self.session)
        self.subscriptions = SqlSubscriptionRepository(self.session)
        self.endpoints = SqlWebhookEndpointRepository(self.session)
        self.mandatory = SqlMandatoryNoticeRepository(self.session)
        self.deliveries = SqlDeliveryRepository(self.session)
        self.notifications = SqlNotificationRepository(self.session)
        self.digests = SqlDigestRepository(self.session)
        self.versions = SqlSubjectVersions(self.session)
        self.items = SqlItemClassifications(self.session)
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Roll back anything uncommitted; loaded objects stay readable (detached, not expired)."""
        await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()

    async def record_events(self, events: Sequence[CloudEvent]) -> set[tuple[str, str]]:
        return await self._inbox.record_many(self.session, events)

    async def seen_before(self, event: CloudEvent) -> bool:
        return not await self._inbox.record(self.session, event)
