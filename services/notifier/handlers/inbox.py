"""A recipient's in-app inbox: list, count unread, mark read."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from services.notifier.domain.errors import NotFound
from services.notifier.domain.inbox import Notification
from services.notifier.handlers.ports import Page, UnitOfWork


async def list_notifications(
    uow: UnitOfWork, recipient_id: uuid.UUID, *, unread_only: bool, page: Page
) -> Sequence[Notification]:
    async with uow:
        return await uow.notifications.find(recipient_id, unread_only=unread_only, page=page)


async def unread_count(uow: UnitOfWork, recipient_id: uuid.UUID) -> int:
    async with uow:
        return await uow.notifications.unread_count(recipient_id)


async def mark_read(uow: UnitOfWork, recipient_id: uuid.UUID, notification_id: uuid.UUID) -> None:
    async with uow:
        if not await uow.notifications.mark_read(recipient_id, notification_id):
            raise NotFound(f"notification {notification_id} is not in your inbox")
        await uow.commit()


async def mark_all_read(uow: UnitOfWork, recipient_id: uuid.UUID) -> int:
    async with uow:
        count = await uow.notifications.mark_all_read(recipient_id)
        await uow.commit()
    return count
