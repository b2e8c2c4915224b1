"""Handlers of subscriptions, mandatory notices and one-click unsubscribes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from services.notifier.domain.errors import NotFound, RuleViolation
from services.notifier.domain.subscriptions import MandatoryNotice, Subscription
from services.notifier.handlers.commands import (
    AddMandatoryNotice,
    AddSubscription,
    UpdateSubscription,
)
from services.notifier.handlers.ports import Page, UnitOfWork, UnsubscribeScope
from services.notifier.handlers.recipients import get_recipient


async def add_subscription(command: AddSubscription, uow: UnitOfWork) -> Subscription:
    async with uow:
        await get_recipient(uow, command.recipient_id)
        if command.channel == "webhook" and (
            await uow.endpoints.of_recipient(command.recipient_id) is None
        ):
            raise RuleViolation(
                f"recipient {command.recipient_id} has no webhook endpoint; add one first"
            )
        subscription = Subscription(
            recipient_id=command.recipient_id,
            channel=command.channel,
            event_type=command.event_type,
            mode=command.mode,
            committee=command.committee,
            item_id=command.item_id,
            organization=command.organization,
        )
        uow.subscriptions.add(subscription)
        await uow.commit()
    return subscription


async def update_subscription(
    command: UpdateSubscription, uow: UnitOfWork, owner: uuid.UUID | None = None
) -> Subscription:
    """``owner``: only a subscription of this recipient (a recipient changing their own)."""
    async with uow:
        subscription = await get_subscription(uow, command.subscription_id, owner)
        for name, value in command.changes.items():
            setattr(subscription, name, value)
        subscription.check()
        await uow.commit()
    return subscription


async def remove_subscription(
    subscription_id: uuid.UUID, uow: UnitOfWork, owner: uuid.UUID | None = None
) -> None:
    async with uow:
        subscription = await get_subscription(uow, subscription_id, owner)
        await uow.subscriptions.delete(subscription)
        await uow.commit()


async def list_subscriptions(
    uow: UnitOfWork, recipient_id: uuid.UUID | None, page: Page
) -> Sequence[Subscription]:
    async with uow:
        return await uow.subscriptions.find(recipient_id, page)


async def read_subscription(
    uow: UnitOfWork, subscription_id: uuid.UUID, owner: uuid.UUID | None = None
) -> Subscription:
    async with uow:
        return await get_subscription(uow, subscription_id, owner)


async def unsubscribe(scope: UnsubscribeScope, uow: UnitOfWork) -> int:
    """Mute what a one-click link names; mandatory notices still arrive. Idempotent."""
    kind, target = scope
    async with uow:
        if kind == "digests":
            muted = await uow.subscriptions.mute_digests(target)
        else:
            subscription = await uow.subscriptions.get(target)
            if subscription is None:
                raise NotFound("this unsubscribe link names a subscription that was removed")
            subscription.muted, muted = True, 1
        await uow.commit()
    return muted


async def get_subscription(
    uow: UnitOfWork, subscription_id: uuid.UUID, owner: uuid.UUID | None = None
) -> Subscription:
    """Another recipient's subscription is, to an ``owner``, one that does not exist."""
    subscription = await uow.subscriptions.get(subscription_id)
    if subscription is None or (owner is not None and subscription.recipient_id != owner):
        raise NotFound(f"subscription {subscription_id} does not exist")
    return subscription


async def add_mandatory_notice(command: AddMandatoryNotice, uow: UnitOfWork) -> MandatoryNotice:
    async with uow:
        notice = MandatoryNotice(
            event_type=command.event_type,
            committee=command.committee,
            description=command.description,
        )
        uow.mandatory.add(notice)
        await uow.commit()
    return notice


async def list_mandatory_notices(uow: UnitOfWork) -> Sequence[MandatoryNotice]:
    async with uow:
        return await uow.mandatory.all()


async def remove_mandatory_notice(notice_id: uuid.UUID, uow: UnitOfWork) -> None:
    async with uow:
        notice = await uow.mandatory.get(notice_id)
        if notice is None:
            raise NotFound(f"mandatory notice {notice_id} does not exist")
        await uow.mandatory.delete(notice)
        await uow.commit()
