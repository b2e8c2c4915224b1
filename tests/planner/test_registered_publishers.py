"""External systems registered on the broker (``workplan publishers add``): the broker
itself refuses a forged ``user_id`` and a publish to any exchange but the system's own,
a type it may not publish is unroutable from its exchange, and the planner dead-letters
an event whose ``user_id`` is not the user registered for its source. A system added
while the planner runs is accepted from its first event on."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aio_pika
import aiormq.exceptions
import pytest

from shared.contract.amqp_binding import STRUCTURED_CONTENT_TYPE, encode_structured
from shared.messaging.dead_letter_queue import list_dead_letters
from shared.messaging.publisher import ConfirmingPublisher, PublishFailed
from shared.messaging.topology import Topology
from tests.conftest import EXTERNAL_SOURCE
from tests.planner.test_external_meetings import drain_dead_letters, meeting_event, meetings_of
from tests.support import eventually, publisher_onboarding
from workplan.cli.events import to_message
from workplan.publisher_onboarding import ConnectionDetails, PublisherOnboarding

MINISTRY = "urn:test:gov:az:mfa:registered"
REGISTRY = "urn:test:gov:az:registry"


@pytest.fixture
async def onboarding(amqp_url, topology, run_id) -> AsyncIterator[PublisherOnboarding]:
    """Onboarding on the test broker; every publisher a test adds is removed after it."""
    async with publisher_onboarding(amqp_url, topology, reserved={EXTERNAL_SOURCE}) as onboarding:
        yield onboarding


@pytest.fixture
def names(run_id) -> tuple[str, str]:
    """Broker user names are not prefixed by the run: they carry its id themselves."""
    return f"t{run_id}-mfa", f"t{run_id}-registry"


async def connected(details: ConnectionDetails) -> AsyncIterator[ConfirmingPublisher]:
    publisher = ConfirmingPublisher(details.amqp_url, timeout=5, app_id="test-registered")
    await publisher.connect()
    try:
        yield publisher
    finally:
        await publisher.close()


async def test_a_system_added_while_the_planner_runs_reports_a_meeting_that_is_applied(
    app, planner, sample_plan, onboarding, names, topology
):
    details = await onboarding.add(names[0], MINISTRY, ["workplan.meeting.held.v1"])
    event = meeting_event(source=MINISTRY)
    async for publisher in connected(details):
        assert publisher.user == names[0]
        await publisher.publish(
            to_message(event, topology, mode="binary", exchange=details.registration.exchange)
        )

    meetings = await eventually(lambda: meetings_of(planner))
    assert [(m["source"], m["external_id"]) for m in meetings] == [
        (MINISTRY, event.data["meeting_id"])
    ]


async def test_a_forged_user_id_is_refused_by_the_broker(onboarding, names, topology):
    details = await onboarding.add(names[0], MINISTRY, ["workplan.meeting.held.v1"])
    event = meeting_event(source=MINISTRY)
    connection = await aio_pika.connect(details.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(details.registration.exchange, ensure=False)
        with pytest.raises(aiormq.exceptions.ChannelPreconditionFailed) as refused:
            await exchange.publish(
                aio_pika.Message(
                    encode_structured(event),
                    content_type=STRUCTURED_CONTENT_TYPE,
                    user_id="guest",  # the system's own user: not this connection's
                ),
                routing_key=event.type,
                mandatory=True,
            )
    assert "user_id property set to 'guest' but authenticated user was" in str(refused.value)


async def test_a_publish_to_another_systems_exchange_or_the_events_exchange_is_refused(
    onboarding, names, topology
):
    ministry = await onboarding.add(names[0], MINISTRY, ["workplan.meeting.held.v1"])
    registry = await onboarding.add(names[1], REGISTRY, ["workplan.meeting.#"])
    event = meeting_event(source=MINISTRY)
    for exchange in (registry.registration.exchange, topology.events_exchange):
        async for publisher in connected(ministry):  # the refusal closes the channel
            with pytest.raises(PublishFailed) as refused:
                await publisher.publish(
                    to_message(event, topology, mode="structured", exchange=exchange)
                )
            assert "ACCESS_REFUSED" in refused.value.reason
            assert exchange in refused.value.reason


async def test_a_type_the_system_may_not_publish_is_unroutable_from_its_exchange(
    app, onboarding, names, topology
):
    details = await onboarding.add(names[0], MINISTRY, ["workplan.meeting.held.v1"])
    forbidden = meeting_event(source=MINISTRY).model_copy(
        update={"type": "workplan.meeting.reclassified.v1"}
    )
    async for publisher in connected(details):
        with pytest.raises(PublishFailed) as returned:
            await publisher.publish(
                to_message(
                    forbidden, topology, mode="structured", exchange=details.registration.exchange
                )
            )
    assert returned.value.unroutable


async def test_a_source_sent_by_a_user_it_is_not_registered_to_is_dead_lettered(
    app, planner, sample_plan, onboarding, names, topology, amqp_url
):
    """The system's own user sends as the ministry, the ministry as a source of settings:
    each refused with ``wrong_publisher``; a message with no user_id, ``missing_user_id``."""
    await drain_dead_letters(amqp_url, topology)
    details = await onboarding.add(names[0], MINISTRY, ["workplan.meeting.held.v1"])
    as_ministry = meeting_event(source=MINISTRY)
    as_settings_source = meeting_event(source=EXTERNAL_SOURCE)
    unsigned = meeting_event(source=EXTERNAL_SOURCE)
    system = ConfirmingPublisher(amqp_url, app_id="test-system")
    await system.connect()
    try:
        await system.publish(to_message(as_ministry, topology, mode="structured"))
    finally:
        await system.close()
    async for publisher in connected(details):
        # the binding lets meeting.held through; the source is not the ministry's own
        await publisher.publish(
            to_message(
                as_settings_source,
                topology,
                mode="structured",
                exchange=details.registration.exchange,
            )
        )
    await _publish_without_user_id(amqp_url, topology, unsigned)

    letters = await eventually(
        lambda: _at_least(3, list_dead_letters(amqp_url, topology, "planner")), timeout=15
    )
    by_id = {letter.message_id: letter for letter in letters}
    assert by_id[as_ministry.id].code == "wrong_publisher"
    assert f"registered to user {names[0]!r}" in by_id[as_ministry.id].reason
    assert by_id[as_settings_source.id].code == "wrong_publisher"
    assert f"published by broker user {names[0]!r}" in by_id[as_settings_source.id].reason
    assert by_id[unsigned.id].code == "missing_user_id"
    assert await meetings_of(planner) == []


async def _publish_without_user_id(amqp_url: str, topology: Topology, event) -> None:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(topology.events_exchange, ensure=False)
        await exchange.publish(
            aio_pika.Message(
                encode_structured(event), content_type=STRUCTURED_CONTENT_TYPE, message_id=event.id
            ),
            routing_key=event.type,
            mandatory=True,
        )


async def _at_least(count: int, letters_coroutine):
    letters = await letters_coroutine
    return letters if len(letters) >= count else None
