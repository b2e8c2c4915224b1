"""The consumer's handler: an event becomes notifications, in the inbox row's transaction.

Every channel's notification is made here, once: e-mail and webhook deliveries are queued
with their content rendered (the delivery worker sends them), inbox notifications are
stored at once, digest entries wait for the day's digest. A repeat of the event finds its
inbox row and changes nothing; the deliveries' unique key (event, recipient, channel) makes
a second notification impossible even so.

The consumer hands events over in batches (one transaction each, in delivery order, so the
events of one subject are applied in the order they were published); each event is worded
once per language and time zone among its recipients.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

from services.notifier.domain.deliveries import Delivery
from services.notifier.domain.digests import DigestEntry
from services.notifier.domain.inbox import Notification
from services.notifier.domain.messages import (
    NoticeText,
    calendar_invite,
    describe,
    link_of,
    webhook_payload,
)
from services.notifier.domain.notices import Notice, notice_of, under_classification_rule
from services.notifier.domain.recipients import Recipient
from services.notifier.domain.subscriptions import MandatoryNotice, Route, route
from services.notifier.handlers.ports import NoticeRenderer, Queued, UnitOfWork
from shared.contract import CloudEvent, EventData
from shared.contract.items import ItemSnapshot
from shared.messaging.outcome import Outcome
from shared.settings import PLANNER_SOURCE


@dataclass(frozen=True)
class NoticeSettings:
    links_base_url: str
    organizer_email: str
    organizer_name: str


async def notify_events(
    batch: Sequence[tuple[CloudEvent, EventData]],
    uow: UnitOfWork,
    renderer: NoticeRenderer,
    settings: NoticeSettings,
) -> list[Outcome]:
    """Notify a batch of events in one transaction, in the order given (delivery order).

    The queued deliveries and inbox notifications of the whole batch are written together
    at the end, before the commit; the inbox row of each event is in the same transaction.
    """
    async with uow:
        mandatory = list(await uow.mandatory.all())
        effects: list[Queued] = []
        outcomes = [
            await _notify_event(
                event,
                data,
                uow,
                renderer=renderer,
                settings=settings,
                mandatory_rules=mandatory,
                effects=effects,
            )
            for event, data in batch
        ]
        if effects:
            await uow.deliveries.add_many(effects)
        await uow.commit()
    return outcomes


async def notify_event(
    event: CloudEvent,
    data: EventData,
    uow: UnitOfWork,
    renderer: NoticeRenderer,
    settings: NoticeSettings,
) -> Outcome:
    """One event in a transaction of its own."""
    [outcome] = await notify_events([(event, data)], uow, renderer, settings)
    return outcome


async def _notify_event(
    event: CloudEvent,
    data: EventData,
    uow: UnitOfWork,
    *,
    renderer: NoticeRenderer,
    settings: NoticeSettings,
    mandatory_rules: Sequence[MandatoryNotice],
    effects: list[Queued],
) -> Outcome:
    notice = notice_of(event, data)
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
        return "stale"  # a newer version of the subject was notified already
    if notice.silent:
        return "applied"
    mandatory = any(rule.covers(notice) for rule in mandatory_rules)
    candidates = await uow.subscriptions.candidates(notice)
    texts = _Texts(notice, settings.links_base_url)
    for chosen in route(notice, candidates, mandatory=mandatory):
        await _notify(chosen, event, notice, texts, uow=uow, renderer=renderer, settings=settings)
    effects.extend(texts.queued)
    return "applied"


class _Texts:
    """What one event says, worded once per language and time zone among its recipients."""

    def __init__(self, notice: Notice, links_base_url: str) -> None:
        self.notice = notice
        self.link = link_of(notice, links_base_url)
        self.queued: list[Queued] = []
        self._texts: dict[tuple[str, str], NoticeText] = {}

    def of(self, recipient: Recipient) -> NoticeText:
        key = (recipient.language, recipient.timezone)
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = describe(self.notice, recipient, self.link)
        return text


async def _notify(
    chosen: Route,
    event: CloudEvent,
    notice: Notice,
    texts: _Texts,
    *,
    uow: UnitOfWork,
    renderer: NoticeRenderer,
    settings: NoticeSettings,
) -> None:
    recipient = chosen.recipient
    link = texts.link
    text = texts.of(recipient)
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
        texts.queued.append(
            (replace(base, target=recipient.email, content=content, message_id=message_id), None)
        )
    elif chosen.channel == "webhook" and chosen.endpoint is not None:
        payload = webhook_payload(event.to_json_dict(), notice, link)
        texts.queued.append(
            (
                replace(
                    base,
                    target=chosen.endpoint.url,
                    content=json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(),
                    endpoint_id=chosen.endpoint.id,
                ),
                None,
            )
        )
    elif chosen.channel == "inbox":
        title, body = renderer.inbox(text)
        notification = Notification(
            recipient_id=recipient.id,
            delivery_id=delivery_id,
            event_type=event.type,
            subject=event.subject,
            title=title,
            body=body,
            link=link,
            restricted=notice.restricted,
        )
        texts.queued.append((replace(base, status="sent"), notification))
