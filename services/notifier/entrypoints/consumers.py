"""The notifier's event consumer: every event of the bus, turned into notifications."""

from __future__ import annotations

from faststream.middlewares import AckPolicy
from faststream.rabbit import Channel, RabbitRouter
from faststream.rabbit.annotations import RabbitMessage
from faststream.rabbit.message import RabbitMessage as RabbitMessageType

from services.notifier.bootstrap import BINDING, SERVICE, Notifier
from services.notifier.handlers.notify import notify_event
from shared.contract import CloudEvent, parse_data
from shared.messaging.intake import EventHandler, EventIntake
from shared.messaging.outcome import Outcome
from shared.messaging.received import ReceivedMessage
from shared.messaging.topology import consumer_queue, events_exchange


def event_handler(notifier: Notifier) -> EventHandler:
    async def handle(event: CloudEvent) -> Outcome:
        data = parse_data(event.type, event.data)  # unknown type or bad data: dead-lettered
        return await notify_event(
            event, data, notifier.uow(), notifier.renderer, notifier.notice_settings
        )

    return handle


def build_consumer_router(notifier: Notifier) -> RabbitRouter:
    intake = EventIntake(
        service=SERVICE,
        policy=notifier.policy,
        dead_letters=notifier.dead_letters,
        handle=event_handler(notifier),
    )
    router = RabbitRouter()

    @router.subscriber(
        consumer_queue(notifier.topology, BINDING),
        events_exchange(notifier.topology),
        channel=Channel(prefetch_count=notifier.settings.prefetch),
        ack_policy=AckPolicy.NACK_ON_ERROR,
        decoder=raw_body,
        title="notifier: every event",
        description=(
            "Every CloudEvent of the bus (item, hearing and meeting events), structured or "
            "binary. Each becomes at most one notification per recipient and channel, made "
            "in the transaction that records the event in the inbox; the message is acked "
            "after that commit. Refused messages are dead-lettered with the reason."
        ),
    )
    async def on_event(body: bytes, message: RabbitMessage) -> None:
        await intake.receive(received(message, body))

    return router


async def raw_body(message: RabbitMessageType) -> bytes:
    """Hand the handler the bytes as received: the intake parses and validates them itself."""
    return message.body


def received(message: RabbitMessageType, body: bytes) -> ReceivedMessage:
    raw = message.raw_message
    return ReceivedMessage(
        body=body,
        content_type=raw.content_type,
        routing_key=raw.routing_key or "",
        exchange=raw.exchange or "",
        message_id=raw.message_id,
        headers=dict(raw.headers or {}),
        redelivered=bool(raw.redelivered),
    )
