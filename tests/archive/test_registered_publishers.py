"""The archive's batch consumer and the broker's publisher check: a system registered
while the archive runs is archived from its first event on; its user publishing as
another source, and a replay of that dead letter, stay refused (``wrong_publisher``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from shared.messaging.dead_letter_queue import list_dead_letters, replay_dead_letters
from shared.messaging.publisher import ConfirmingPublisher
from tests.archive.events import meeting_held
from tests.conftest import EXTERNAL_SOURCE
from tests.support import eventually, publisher_onboarding
from workplan.cli.events import to_message

REGISTERED = "urn:test:gov:az:registry"
AT = datetime(2026, 2, 18, 6, 0, tzinfo=UTC)


@pytest.fixture
async def onboarding(amqp_url, archive_topology):
    async with publisher_onboarding(
        amqp_url, archive_topology, reserved={EXTERNAL_SOURCE}
    ) as onboarding:
        yield onboarding


async def test_a_system_registered_while_the_archive_runs_is_archived_and_held_to_its_source(
    archive_app, archive_db, archive_topology, onboarding, run_id, amqp_url
):
    details = await onboarding.add(f"t{run_id}-arch", REGISTERED, ["workplan.meeting.#"])
    own = meeting_held(REGISTERED, time=AT)
    posing = meeting_held(EXTERNAL_SOURCE, time=AT)  # a source of the system's own user
    publisher = ConfirmingPublisher(details.amqp_url, app_id="test-registered")
    await publisher.connect()
    try:
        exchange = details.registration.exchange
        await publisher.publish(
            to_message(posing, archive_topology, mode="structured", exchange=exchange)
        )
        await publisher.publish(to_message(own, archive_topology, mode="binary", exchange=exchange))
    finally:
        await publisher.close()

    async def archived() -> list[tuple]:
        async with archive_db.connect() as connection:
            rows = await connection.execute(text("SELECT source, event_id FROM archive.events"))
            return [tuple(row) for row in rows]

    assert await eventually(archived, timeout=15) == [(REGISTERED, own.id)]
    [letter] = await eventually(
        lambda: list_dead_letters(amqp_url, archive_topology, "archive"), timeout=10
    )
    assert (letter.message_id, letter.code) == (posing.id, "wrong_publisher")

    # replayed by the system's own user, it still counts as sent by the registered system
    assert await replay_dead_letters(amqp_url, archive_topology, "archive") == 1
    [again] = await eventually(
        lambda: list_dead_letters(amqp_url, archive_topology, "archive"), timeout=10
    )
    assert (again.message_id, again.code) == (posing.id, "wrong_publisher")
    assert f"published by broker user 't{run_id}-arch'" in again.reason
    assert await archived() == [(REGISTERED, own.id)]
