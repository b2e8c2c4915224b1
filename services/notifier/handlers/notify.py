"""The consumer's handler: an event becomes notifications, in the inbox row's transaction.

Every channel's notification is made here, once: e-mail and webhook deliveries are queued
with their content rendered (the delivery worker sends them), inbox notifications are
stored at once, digest entries wait for the day's digest. A repeat of the event finds its
inbox row and changes nothing; the deliveries' unique key (event, recipient, channel) makes
a second notification impossible even so.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace

from services.notifier.domain.deliveries import Delivery
from services.notifier.domain.digests import DigestEntry
from services.notifier.domain.inbox import Notification
from services.notifier.domain.messages import (
    calendar_invite,
    describe,
    link_of,
    webhook_payload,
)
from services.notifier.domain.notices import Notice, notice_of, under_classification_rule
from services.notifier.domain.subscriptions import Route, route
from services.notifier.handlers.ports import NoticeRenderer, UnitOfWork
from shared.contract import CloudEvent, EventData
from shared.contract.items import ItemSnapshot
from shared.messaging.outcome import Outcome
from shared.settings import PLANNER_SOURCE


@dataclass(frozen=True)
class NoticeSettings:
    links_base_url: str
    organizer_email: str
    organizer_name: str


async def notify_event(
    event: CloudEvent,
    data: EventData,
    uow: UnitOfWork,
    renderer: NoticeRenderer,
    settings: NoticeSettings,
) -> Outcome:
    notice = notice_of(event, data)
    async with uow:
        if await uow.seen_before(event):
            return "duplicate"
        if isinstance(data, ItemSnapshot):
            await uow.items.record(data.item_id, data.classification, notice.sequence or 1)
        elif notice.item_id is not None:
            item = await uow.items.of(notice.item_id)
            notice = under_classification_rule(notice, item, vouched=event.source == PLANNER_SOURCE)
        if notice.subject is not None and not await uow.versions.advance(
            notice.source, notice.subject, notice.sequence or 1
        ):
            await uow.commit()
            return "stale"  # a newer version of the subject was notified already
        if notice.silent:
            await uow.commit()
            return "applied"
        mandatory = any(rule.covers(notice) for rule in await uow.mandatory.all())
        candidates = await uow.subscriptions.candidates(notice)
        for chosen in route(notice, candidates, mandatory=mandatory):
            await _notify(chosen, event, notice, uow=uow, renderer=renderer, settings=settings)
        await uow.commit()
    return "applied"


async def _notify(
    chosen: Route,
    event: CloudEvent,
    notice: Notice,
    *,
    uow: UnitOfWork,
    renderer: NoticeRenderer,
    settings: NoticeSettings,
) -> None:
    recipient = chosen.recipient
    link = link_of(notice, settings.links_base_url)
    text = describe(notice, recipient, link)
    if chosen.mode == "digest":
        headline, details = renderer.digest_entry(text)
        await uow.digests.add(
            DigestEntry(
                recipient_id=recipient.id,
                event_source=event.source,
                event_id=event.id,
                event_type=event.type,
                headline=headline,
                details=details,
                link=link,
                restricted=notice.restricted,
                item_id=notice.item_id,
            )
        )
        return
    delivery_id = uuid.uuid4()
    base = Delivery(
        id=delivery_id,
        event_source=event.source,
        event_id=event.id,
        event_type=event.type,
        subject=event.subject,
        recipient_id=recipient.id,
        channel=chosen.channel,
        target=str(recipient.id),
        content=b"",
        restricted=notice.restricted,
    )
    if chosen.channel == "email":
        message_id = renderer.message_id(delivery_id)
        invite = calendar_invite(
            notice, text, recipient, organizer=(settings.organizer_email, settings.organizer_name)
        )
        content = renderer.email(
            text,
            recipient,
            message_id=message_id,
            unsubscribe=("subscription", chosen.subscription.id),
            mandatory=chosen.mandatory,
            invite=invite,
        )
        await uow.deliveries.add(
            replace(base, target=recipient.email, content=content, message_id=message_id)
        )
    elif chosen.channel == "webhook" and chosen.endpoint is not None:
        payload = webhook_payload(event.to_json_dict(), notice, link)
        await uow.deliveries.add(
            replace(
                base,
                target=chosen.endpoint.url,
                content=json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(),
                endpoint_id=chosen.endpoint.id,
            )
        )
    elif chosen.channel == "inbox":
        title, body = renderer.inbox(text)
        stored = await uow.deliveries.add(replace(base, status="sent"))
        if stored:
            await uow.notifications.add(
                Notification(
                    recipient_id=recipient.id,
                    delivery_id=delivery_id,
                    event_type=event.type,
                    subject=event.subject,
                    title=title,
                    body=body,
                    link=link,
                    restricted=notice.restricted,
                )
            )
