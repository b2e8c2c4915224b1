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


class ConcurrentVersions(Exception):
    """A subject's version changed under the batch's lock (it cannot): the batch is
    written again one event at a time rather than notify on a wrong version."""


async def notify_events(
    batch: Sequence[tuple[CloudEvent, EventData]],
    uow: UnitOfWork,
    renderer: NoticeRenderer,
    settings: NoticeSettings,
) -> list[Outcome]:
    """Notify a batch of events in one transaction, in the order given (delivery order).

    What the batch needs is read in a few statements before its events are applied in
    order: which events are new (the inbox rows, written), the classifications of their
    items, the versions of their subjects (locked, so a competing consumer waits for this
    batch's commit and then sees its versions). The queued deliveries and inbox
    notices, the classifications and the versions are written together at the end.
    """
    async with uow:
        state = await _BatchState.read(uow, batch)
        effects: list[Queued] = []
        outcomes = [
            await _notify_event(
                event,
                data,
                uow,
                renderer=renderer,
                settings=settings,
                state=state,
                effects=effects,
            )
            for event, data in batch
        ]
        if effects:
            await uow.deliveries.add_many(effects)
        await state.write(uow)
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


class _BatchState:
    """What the events of a batch read and change, held in order while they are applied."""

    def __init__(
        self,
        new: set[tuple[str, str]],
        classifications: dict[uuid.UUID, tuple[str, int]],
        versions: dict[tuple[str, str], int],
        mandatory: Sequence[MandatoryNotice],
    ) -> None:
        self.new = new
        self.classifications = classifications
        self.versions = versions
        self.mandatory = mandatory
        self.recorded: dict[uuid.UUID, tuple[str, int]] = {}
        self.advanced: dict[tuple[str, str], int] = {}

    @classmethod
    async def read(
        cls, uow: UnitOfWork, batch: Sequence[tuple[CloudEvent, EventData]]
    ) -> _BatchState:
        events = [event for event, _ in batch]
        new = await uow.record_events(events)
        item_ids = {item for _, data in batch if (item := _item_of(data)) is not None}
        subjects = {(event.source, event.subject) for event in events if event.subject}
        return cls(
            new,
            await uow.items.current(sorted(item_ids)) if item_ids else {},
            await uow.versions.lock(sorted(subjects)) if subjects else {},
            list(await uow.mandatory.all()),
        )

    def first_time(self, event: CloudEvent) -> bool:
        """The event was not seen before (nor earlier in this batch)."""
        key = (event.source, event.id)
        if key not in self.new:
            return False
        self.new.discard(key)
        return True

    def classification(self, item_id: uuid.UUID) -> str | None:
        found = self.classifications.get(item_id)
        return found[0] if found else None

    def record(self, item_id: uuid.UUID, classification: str, sequence: int) -> None:
        found = self.classifications.get(item_id)
        if found is None or found[1] < sequence:
            self.classifications[item_id] = self.recorded[item_id] = (classification, sequence)

    def advance(self, source: str, subject: str, sequence: int) -> bool:
        """``False`` when the subject is at this version or a newer one already (stale)."""
        key = (source, subject)
        if self.versions.get(key, 0) >= sequence:
            return False
        self.versions[key] = self.advanced[key] = sequence
        return True

    async def write(self, uow: UnitOfWork) -> None:
        if self.recorded:
            await uow.items.record_many(
                [(item, cls, seq) for item, (cls, seq) in self.recorded.items()]
            )
        if self.advanced:
            advanced = await uow.versions.advance_many(self.advanced)
            if advanced != set(self.advanced):
                raise ConcurrentVersions("a subject of the batch was advanced meanwhile")


def _item_of(data: EventData) -> uuid.UUID | None:
    item_id = getattr(data, "item_id", None)
    return item_id if isinstance(item_id, uuid.UUID) else None


async def _notify_event(
    event: CloudEvent,
    data: EventData,
    uow: UnitOfWork,
    *,
    renderer: NoticeRenderer,
    settings: NoticeSettings,
    state: _BatchState,
    effects: list[Queued],
) -> Outcome:
    if not state.first_time(event):
        return "duplicate"
    notice = notice_of(event, data)
    if isinstance(data, ItemSnapshot):
        state.record(data.item_id, data.classification, notice.sequence or 1)
    elif notice.item_id is not None:
        item = state.classification(notice.item_id)
        notice = under_classification_rule(notice, item, vouched=event.source == PLANNER_SOURCE)
    if notice.subject is not None and not state.advance(
        notice.source, notice.subject, notice.sequence or 1
    ):
        return "stale"  # a newer version of the subject was notified already
    if notice.silent:
        return "applied"
    mandatory = any(rule.covers(notice) for rule in state.mandatory)
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
