"""The planner's event consumer: ``meeting.held`` reported by registered external systems."""

from __future__ import annotations

from faststream.middlewares import AckPolicy
from faststream.rabbit import Channel, RabbitRouter
from faststream.rabbit.annotations import RabbitMessage
from faststream.rabbit.message import RabbitMessage as RabbitMessageType

from services.planner.bootstrap import BINDING, Planner
from services.planner.handlers.meetings import apply_reported_meeting
from shared.contract import CloudEvent, parse_data
from shared.contract.meetings import MeetingHeld
from shared.messaging.intake import EventHandler, EventIntake
from shared.messaging.outcome import Outcome
from shared.messaging.received import ReceivedMessage
from shared.messaging.topology import consumer_queues


def event_handler(planner: Planner) -> EventHandler:
    async def handle(event: CloudEvent) -> Outcome:
        if event.source == planner.source:
            return "ignored"  # our own meeting.held, already applied when staff recorded it
        if event.type != MeetingHeld.event_type:
            return "ignored"
        data = parse_data(event.type, event.data)
        if not isinstance(data, MeetingHeld):  # the registry maps this type to MeetingHeld
            raise TypeError(f"{event.type} parsed as {type(data).__name__}")
        return await apply_reported_meeting(event, data, planner.uow())

    return handle


def build_consumer_router(planner: Planner) -> RabbitRouter:
    intake = EventIntake(
        service="planner",
        policy=planner.policy,
        dead_letters=planner.dead_letters,
        handle=event_handler(planner),
    )
    router = RabbitRouter()

    async def on_meeting_event(body: bytes, message: RabbitMessage) -> None:
        await intake.receive(received(message, body))

    queues = consumer_queues(planner.topology, BINDING)
    for queue, exchange in queues:  # one subscriber per partition (each one active copy)
        router.subscriber(
            queue,
            exchange,
            channel=Channel(prefetch_count=planner.settings.prefetch),
            ack_policy=AckPolicy.NACK_ON_ERROR,
            decoder=raw_body,
            title=f"planner: meeting reports ({queue.name})",
            description=(
                "CloudEvents `workplan.meeting.held.v1` from registered external systems, "
                "structured or binary. Refused messages are dead-lettered with the reason."
                + (f" One of {len(queues)} partitions by subject." if len(queues) > 1 else "")
            ),
        )(on_meeting_event)

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
