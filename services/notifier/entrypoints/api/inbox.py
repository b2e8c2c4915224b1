"""A recipient's in-app inbox (``notifier:read``; the token's subject is the recipient id)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from services.notifier.entrypoints.api.dependencies import NotifierDep, OwnRecipient, PageDep
from services.notifier.entrypoints.api.schemas import MarkedOut, NotificationOut, UnreadOut
from services.notifier.handlers import inbox

router = APIRouter(prefix="/api/v1/inbox", tags=["inbox"])


@router.get("", response_model=list[NotificationOut])
async def list_notifications(
    notifier: NotifierDep, recipient_id: OwnRecipient, page: PageDep, unread_only: bool = False
) -> list[NotificationOut]:
    """Your notifications, newest first."""
    found = await inbox.list_notifications(
        notifier.uow(), recipient_id, unread_only=unread_only, page=page
    )
    return [NotificationOut.model_validate(notification) for notification in found]


@router.get("/unread-count", response_model=UnreadOut)
async def unread_count(notifier: NotifierDep, recipient_id: OwnRecipient) -> UnreadOut:
    return UnreadOut(unread=await inbox.unread_count(notifier.uow(), recipient_id))


@router.post(
    "/{notification_id}/read",
    status_code=204,
    responses={404: {"description": "Not in your inbox"}},
)
async def mark_read(
    notification_id: uuid.UUID, notifier: NotifierDep, recipient_id: OwnRecipient
) -> None:
    await inbox.mark_read(notifier.uow(), recipient_id, notification_id)


@router.post("/read-all", response_model=MarkedOut)
async def mark_all_read(notifier: NotifierDep, recipient_id: OwnRecipient) -> MarkedOut:
    return MarkedOut(marked=await inbox.mark_all_read(notifier.uow(), recipient_id))
