"""The daily digest: one e-mail per recipient and day with the entries gathered for it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime

from services.notifier.domain.deliveries import Delivery
from services.notifier.domain.digests import (
    DIGEST_SOURCE,
    DigestEntry,
    check_digest_day,
    cutoff,
    digest_day_due,
    digest_key,
)
from services.notifier.handlers.ports import NoticeRenderer, UnitOfWork

DIGEST_TYPE = "workplan.notifier.digest"


async def compose_digests(
    uow_factory: Callable[[], UnitOfWork],
    renderer: NoticeRenderer,
    *,
    hour: int,
    day: date | None = None,
    now: datetime,
) -> int:
    """Queue the digests due: of ``day`` for everyone, or else of each recipient's today once
    their digest hour has passed. One transaction per recipient; returns how many were made.
    """
    if day is not None:
        check_digest_day(day)
    async with uow_factory() as uow:
        waiting = await uow.digests.pending_recipients()
    made = 0
    for recipient_id in waiting:
        if await _compose_one(uow_factory(), renderer, recipient_id, hour=hour, day=day, now=now):
            made += 1
    return made


async def _still_sendable(uow: UnitOfWork, entries: list[DigestEntry]) -> list[DigestEntry]:
    """The entries that may still go out: an entry written while its item was not restricted
    carries its text, and is withdrawn once the item is restricted (the classification rule
    holds when the digest is sent, not only when the notice was made)."""
    with_text = [e.item_id for e in entries if not e.restricted and e.item_id is not None]
    now_restricted = await uow.items.restricted(with_text)
    withdrawn = [e for e in entries if not e.restricted and e.item_id in now_restricted]
    await uow.digests.withdraw([entry.id for entry in withdrawn])
    return [entry for entry in entries if entry not in withdrawn]


async def _compose_one(
    uow: UnitOfWork,
    renderer: NoticeRenderer,
    recipient_id: uuid.UUID,
    *,
    hour: int,
    day: date | None,
    now: datetime,
) -> bool:
    async with uow:
        recipient = await uow.recipients.get(recipient_id)
        if recipient is None or not recipient.active:
            return False
        zone = recipient.zone
        digest_day = day or digest_day_due(now, hour, zone)
        if digest_day is None:
            return False
        entries = await _still_sendable(
            uow, await uow.digests.pending(recipient_id, before=cutoff(digest_day, hour, zone))
        )
        if not entries:
            await uow.commit()  # entries withdrawn, if any
            return False
        delivery_id = uuid.uuid4()
        message_id = renderer.message_id(delivery_id)
        delivery = Delivery(
            id=delivery_id,
            event_source=DIGEST_SOURCE,
            event_id=digest_key(digest_day),
            event_type=DIGEST_TYPE,
            subject=None,
            recipient_id=recipient.id,
            channel="email",
            target=recipient.email,
            content=renderer.digest_email(recipient, digest_day, entries, message_id=message_id),
            restricted=any(entry.restricted for entry in entries),
            message_id=message_id,
            kind="digest",
        )
        if not await uow.deliveries.add(delivery):
            return False  # that day's digest went out already; these wait for the next
        await uow.digests.assign([entry.id for entry in entries], delivery_id)
        await uow.commit()
    return True
