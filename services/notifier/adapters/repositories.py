"""Repositories of the notifier on an async SQLAlchemy session."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, literal, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.adapters.orm import (
    deliveries,
    delivery_attempts,
    digest_entries,
    item_classifications,
    mandatory_notices,
    notifications,
    recipients,
    subject_versions,
    subscriptions,
    webhook_endpoints,
)
from services.notifier.domain.deliveries import Delivery
from services.notifier.domain.digests import DigestEntry
from services.notifier.domain.inbox import Notification
from services.notifier.domain.notices import Notice
from services.notifier.domain.recipients import Recipient
from services.notifier.domain.subscriptions import Candidate, MandatoryNotice, Subscription
from services.notifier.domain.webhooks import WebhookEndpoint
from services.notifier.handlers.ports import (
    AttemptView,
    DeliveryFilter,
    DeliveryView,
    Page,
    Queued,
)


class SqlRecipientRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, recipient: Recipient) -> None:
        self._session.add(recipient)

    async def get(self, recipient_id: uuid.UUID) -> Recipient | None:
        return await self._session.get(Recipient, recipient_id)

    async def by_email(self, email: str) -> Recipient | None:
        statement = select(Recipient).where(func.lower(recipients.c.email) == email.lower())
        return (await self._session.scalars(statement)).first()

    async def find(self, page: Page) -> Sequence[Recipient]:
        statement = select(Recipient).order_by(recipients.c.created_at, recipients.c.id)
        return list(await self._session.scalars(statement.limit(page.limit).offset(page.offset)))


class SqlSubscriptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, subscription: Subscription) -> None:
        self._session.add(subscription)

    async def get(self, subscription_id: uuid.UUID) -> Subscription | None:
        return await self._session.get(Subscription, subscription_id)

    async def find(self, recipient_id: uuid.UUID | None, page: Page) -> Sequence[Subscription]:
        statement = select(Subscription).order_by(subscriptions.c.created_at, subscriptions.c.id)
        if recipient_id is not None:
            statement = statement.where(subscriptions.c.recipient_id == recipient_id)
        return list(await self._session.scalars(statement.limit(page.limit).offset(page.offset)))

    async def delete(self, subscription: Subscription) -> None:
        await self._session.delete(subscription)

    async def candidates(self, notice: Notice) -> list[Candidate]:
        c = subscriptions.c
        statement = (
            select(Subscription, Recipient, WebhookEndpoint)
            .join(Recipient, recipients.c.id == c.recipient_id)
            .outerjoin(WebhookEndpoint, webhook_endpoints.c.recipient_id == c.recipient_id)
            .where(
                recipients.c.active.is_(True),
                or_(c.committee.is_(None), c.committee == literal(notice.committee)),
                or_(c.item_id.is_(None), c.item_id == literal(notice.item_id)),
                or_(
                    c.organization.is_(None),
                    c.organization.in_(list(notice.organizations) or [""]),
                ),
            )
            .order_by(c.created_at, c.id)
        )
        rows = (await self._session.execute(statement)).all()
        return [Candidate(row[0], row[1], row[2]) for row in rows]

    async def mute_digests(self, recipient_id: uuid.UUID) -> int:
        result = await self._session.execute(
            update(subscriptions)
            .where(
                subscriptions.c.recipient_id == recipient_id,
                subscriptions.c.mode == "digest",
                subscriptions.c.muted.is_(False),
            )
            .values(muted=True)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


class SqlWebhookEndpointRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, endpoint: WebhookEndpoint) -> None:
        self._session.add(endpoint)

    async def get(self, endpoint_id: uuid.UUID) -> WebhookEndpoint | None:
        return await self._session.get(WebhookEndpoint, endpoint_id)

    async def of_recipient(self, recipient_id: uuid.UUID) -> WebhookEndpoint | None:
        statement = select(WebhookEndpoint).where(webhook_endpoints.c.recipient_id == recipient_id)
        return (await self._session.scalars(statement)).first()

    async def find(self, page: Page) -> Sequence[WebhookEndpoint]:
        statement = select(WebhookEndpoint).order_by(webhook_endpoints.c.created_at)
        return list(await self._session.scalars(statement.limit(page.limit).offset(page.offset)))

    async def delete(self, endpoint: WebhookEndpoint) -> None:
        await self._session.delete(endpoint)


class SqlMandatoryNoticeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, notice: MandatoryNotice) -> None:
        self._session.add(notice)

    async def get(self, notice_id: uuid.UUID) -> MandatoryNotice | None:
        return await self._session.get(MandatoryNotice, notice_id)

    async def all(self) -> Sequence[MandatoryNotice]:
        statement = select(MandatoryNotice).order_by(mandatory_notices.c.created_at)
        return list(await self._session.scalars(statement))

    async def delete(self, notice: MandatoryNotice) -> None:
        await self._session.delete(notice)


class SqlDeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, delivery: Delivery) -> bool:
        now = datetime.now(UTC)
        statement = (
            pg_insert(deliveries)
            .values(
                id=delivery.id,
                event_source=delivery.event_source,
                event_id=delivery.event_id,
                event_type=delivery.event_type,
                subject=delivery.subject,
                kind=delivery.kind,
                recipient_id=delivery.recipient_id,
                channel=delivery.channel,
                endpoint_id=delivery.endpoint_id,
                target=delivery.target,
                message_id=delivery.message_id,
                content=delivery.content,
                restricted=delivery.restricted,
                status=delivery.status,
                next_attempt_at=None if delivery.status == "sent" else now,
                sent_at=now if delivery.status == "sent" else None,
            )
            .on_conflict_do_nothing(
                index_elements=["event_source", "event_id", "recipient_id", "channel"]
            )
            .returning(deliveries.c.id)
        )
        if (await self._session.execute(statement)).first() is None:
            return False
        await self._session.execute(
            insert(delivery_attempts).values(
                delivery_id=delivery.id, attempt=0, status=delivery.status
            )
        )
        return True

    async def add_many(self, queued: Sequence[Queued]) -> int:
        now = datetime.now(UTC)
        rows = [_delivery_row(delivery, now) for delivery, _ in queued]
        statement = (
            pg_insert(deliveries)
            .on_conflict_do_nothing(
                index_elements=["event_source", "event_id", "recipient_id", "channel"]
            )
            .returning(deliveries.c.id)
        )
        stored = set((await self._session.scalars(statement, rows)).all())
        if not stored:
            return 0
        kept = [
            (delivery, notification) for delivery, notification in queued if delivery.id in stored
        ]
        await self._session.execute(
            insert(delivery_attempts),
            [{"delivery_id": d.id, "attempt": 0, "status": d.status} for d, _ in kept],
        )
        inbox_rows = [n.__dict__ for _, n in kept if n is not None]
        if inbox_rows:
            await self._session.execute(insert(notifications), inbox_rows)
        return len(stored)

    async def get(self, delivery_id: uuid.UUID, *, for_update: bool = False) -> DeliveryView | None:
        statement = select(*_VIEW_COLUMNS).where(deliveries.c.id == delivery_id)
        if for_update:
            statement = statement.with_for_update()
        row = (await self._session.execute(statement)).first()
        return _view(row) if row is not None else None

    async def find(self, where: DeliveryFilter, page: Page) -> Sequence[DeliveryView]:
        c = deliveries.c
        statement = select(*_VIEW_COLUMNS).order_by(c.created_at.desc(), c.id)
        if where.statuses:
            statement = statement.where(c.status.in_(where.statuses))
        if where.channel is not None:
            statement = statement.where(c.channel == where.channel)
        if where.recipient_id is not None:
            statement = statement.where(c.recipient_id == where.recipient_id)
        if where.event_id is not None:
            statement = statement.where(c.event_id == where.event_id)
        if not where.include_restricted:
            statement = statement.where(c.restricted.is_(False))
        rows = await self._session.execute(statement.limit(page.limit).offset(page.offset))
        return [_view(row) for row in rows]

    async def attempts(self, delivery_id: uuid.UUID) -> Sequence[AttemptView]:
        a = delivery_attempts.c
        rows = await self._session.execute(
            select(a.attempt, a.status, a.detail, a.at)
            .where(a.delivery_id == delivery_id)
            .order_by(a.id)
        )
        return [AttemptView(row.attempt, row.status, row.detail, row.at) for row in rows]

    async def requeue(self, delivery_id: uuid.UUID, detail: str) -> None:
        await self._session.execute(
            update(deliveries)
            .where(deliveries.c.id == delivery_id)
            .values(status="queued", attempts=0, next_attempt_at=func.now(), last_error=None)
        )
        await self._session.execute(
            insert(delivery_attempts).values(
                delivery_id=delivery_id, attempt=0, status="queued", detail=detail
            )
        )


def _delivery_row(delivery: Delivery, now: datetime) -> dict[str, Any]:
    sent = delivery.status == "sent"
    return {
        "id": delivery.id,
        "event_source": delivery.event_source,
        "event_id": delivery.event_id,
        "event_type": delivery.event_type,
        "subject": delivery.subject,
        "kind": delivery.kind,
        "recipient_id": delivery.recipient_id,
        "channel": delivery.channel,
        "endpoint_id": delivery.endpoint_id,
        "target": delivery.target,
        "message_id": delivery.message_id,
        "content": delivery.content,
        "restricted": delivery.restricted,
        "status": delivery.status,
        "next_attempt_at": None if sent else now,
        "sent_at": now if sent else None,
    }


_VIEW_COLUMNS = (
    deliveries.c.id,
    deliveries.c.event_source,
    deliveries.c.event_id,
    deliveries.c.event_type,
    deliveries.c.kind,
    deliveries.c.recipient_id,
    deliveries.c.channel,
    deliveries.c.target,
    deliveries.c.status,
    deliveries.c.attempts,
    deliveries.c.last_error,
    deliveries.c.next_attempt_at,
    deliveries.c.created_at,
    deliveries.c.sent_at,
    deliveries.c.message_id,
    deliveries.c.endpoint_id,
    deliveries.c.restricted,
)


def _view(row: Any) -> DeliveryView:
    return DeliveryView(**row._asdict())


class SqlNotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, notification: Notification) -> None:
        await self._session.execute(insert(notifications).values(**notification.__dict__))

    async def find(
        self, recipient_id: uuid.UUID, *, unread_only: bool, page: Page
    ) -> Sequence[Notification]:
        c = notifications.c
        statement = (
            select(*(c[name] for name in _NOTIFICATION_FIELDS))
            .where(c.recipient_id == recipient_id)
            .order_by(c.created_at.desc(), c.id)
        )
        if unread_only:
            statement = statement.where(c.read_at.is_(None))
        rows = await self._session.execute(statement.limit(page.limit).offset(page.offset))
        return [Notification(**row._asdict()) for row in rows]

    async def unread_count(self, recipient_id: uuid.UUID) -> int:
        c = notifications.c
        count = await self._session.scalar(
            select(func.count()).where(c.recipient_id == recipient_id, c.read_at.is_(None))
        )
        return int(count or 0)

    async def mark_read(self, recipient_id: uuid.UUID, notification_id: uuid.UUID) -> bool:
        c = notifications.c
        result = await self._session.execute(
            update(notifications)
            .where(c.id == notification_id, c.recipient_id == recipient_id)
            .values(read_at=func.coalesce(c.read_at, func.now()))
            .returning(c.id)
        )
        return result.first() is not None

    async def mark_all_read(self, recipient_id: uuid.UUID) -> int:
        c = notifications.c
        result = await self._session.execute(
            update(notifications)
            .where(c.recipient_id == recipient_id, c.read_at.is_(None))
            .values(read_at=func.now())
            .returning(c.id)
        )
        return len(result.all())


_NOTIFICATION_FIELDS = (
    "id",
    "recipient_id",
    "delivery_id",
    "event_type",
    "subject",
    "title",
    "body",
    "link",
    "restricted",
    "created_at",
    "read_at",
)


class SqlDigestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entry: DigestEntry) -> bool:
        statement = (
            pg_insert(digest_entries)
            .values(**entry.__dict__)
            .on_conflict_do_nothing(index_elements=["event_source", "event_id", "recipient_id"])
            .returning(digest_entries.c.id)
        )
        return (await self._session.execute(statement)).first() is not None

    async def pending_recipients(self) -> list[uuid.UUID]:
        c = digest_entries.c
        rows = await self._session.scalars(
            select(c.recipient_id).where(c.digest_delivery_id.is_(None)).distinct()
        )
        return list(rows)

    async def pending(self, recipient_id: uuid.UUID, before: datetime) -> list[DigestEntry]:
        c = digest_entries.c
        fields = list(DigestEntry.__dataclass_fields__)
        rows = await self._session.execute(
            select(*(c[name] for name in fields))
            .where(
                c.recipient_id == recipient_id,
                c.digest_delivery_id.is_(None),
                c.created_at < before,
            )
            .order_by(c.created_at, c.id)
            .with_for_update(skip_locked=True)
        )
        return [DigestEntry(**row._asdict()) for row in rows]

    async def assign(self, entry_ids: Sequence[uuid.UUID], delivery_id: uuid.UUID) -> None:
        await self._session.execute(
            update(digest_entries)
            .where(digest_entries.c.id.in_(list(entry_ids)))
            .values(digest_delivery_id=delivery_id)
        )

    async def withdraw(self, entry_ids: Sequence[uuid.UUID]) -> None:
        if entry_ids:
            await self._session.execute(
                delete(digest_entries).where(digest_entries.c.id.in_(list(entry_ids)))
            )


class SqlSubjectVersions:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def lock(self, subjects: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """Lock every subject's row, making the missing ones (version 0) first, in one order
        for every consumer: a batch then decides on versions no other can change under it."""
        ordered = sorted(set(subjects))
        await self._session.execute(
            pg_insert(subject_versions).on_conflict_do_nothing(
                index_elements=["source", "subject"]
            ),
            [{"source": source, "subject": subject, "sequence": 0} for source, subject in ordered],
        )
        c = subject_versions.c
        statement = (
            select(c.source, c.subject, c.sequence)
            .where(tuple_(c.source, c.subject).in_(ordered))
            .order_by(c.source, c.subject)
            .with_for_update()
        )
        rows = await self._session.execute(statement)
        return {(row.source, row.subject): row.sequence for row in rows}

    async def advance_many(self, versions: dict[tuple[str, str], int]) -> set[tuple[str, str]]:
        values = pg_insert(subject_versions)
        statement = values.on_conflict_do_update(
            index_elements=["source", "subject"],
            set_={"sequence": values.excluded.sequence, "updated_at": func.now()},
            where=subject_versions.c.sequence < values.excluded.sequence,
        ).returning(subject_versions.c.source, subject_versions.c.subject)
        rows = [
            {"source": source, "subject": subject, "sequence": sequence}
            for (source, subject), sequence in versions.items()
        ]
        return {(row[0], row[1]) for row in await self._session.execute(statement, rows)}

    async def advance(self, source: str, subject: str, sequence: int) -> bool:
        values = pg_insert(subject_versions).values(
            source=source, subject=subject, sequence=sequence
        )
        statement = values.on_conflict_do_update(
            index_elements=["source", "subject"],
            set_={"sequence": values.excluded.sequence, "updated_at": func.now()},
            where=subject_versions.c.sequence < values.excluded.sequence,
        ).returning(subject_versions.c.sequence)
        return (await self._session.execute(statement)).first() is not None


class SqlItemClassifications:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, item_id: uuid.UUID, classification: str, sequence: int) -> None:
        values = pg_insert(item_classifications).values(
            item_id=item_id, classification=classification, sequence=sequence
        )
        await self._session.execute(
            values.on_conflict_do_update(
                index_elements=["item_id"],
                set_={
                    "classification": values.excluded.classification,
                    "sequence": values.excluded.sequence,
                    "updated_at": func.now(),
                },
                where=item_classifications.c.sequence < values.excluded.sequence,
            )
        )

    async def record_many(self, records: Sequence[tuple[uuid.UUID, str, int]]) -> None:
        values = pg_insert(item_classifications)
        statement = values.on_conflict_do_update(
            index_elements=["item_id"],
            set_={
                "classification": values.excluded.classification,
                "sequence": values.excluded.sequence,
                "updated_at": func.now(),
            },
            where=item_classifications.c.sequence < values.excluded.sequence,
        )
        await self._session.execute(
            statement,
            [
                {"item_id": item, "classification": classification, "sequence": sequence}
                for item, classification, sequence in records
            ],
        )

    async def current(self, item_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple[str, int]]:
        c = item_classifications.c
        rows = await self._session.execute(
            select(c.item_id, c.classification, c.sequence).where(c.item_id.in_(list(item_ids)))
        )
        return {row.item_id: (row.classification, row.sequence) for row in rows}

    async def of(self, item_id: uuid.UUID) -> str | None:
        statement = select(item_classifications.c.classification).where(
            item_classifications.c.item_id == item_id
        )
        found: str | None = (await self._session.execute(statement)).scalar_one_or_none()
        return found

    async def restricted(self, item_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        if not item_ids:
            return set()
        c = item_classifications.c
        statement = select(c.item_id).where(
            c.item_id.in_(list(set(item_ids))), c.classification == "restricted"
        )
        return set(await self._session.scalars(statement))
