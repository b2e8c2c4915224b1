"""What the notifier's log says about events: each one at DEBUG only (the consumer's
"Received"/"Processed" lines, through our handler), and a dead letter at WARNING with its
reason in the line itself."""

from __future__ import annotations

import logging

from shared.messaging.publisher import OutgoingMessage
from shared.runtime.logs import ReadableFormatter
from tests.notifier.scenario import Hearing, publish
from tests.support import eventually


async def test_events_are_debug_lines_and_a_dead_letter_warning_names_its_reason(
    notifier_app, publisher, events_topology, caplog
):
    caplog.set_level(logging.DEBUG)
    good = Hearing().scheduled()
    await publish(publisher, events_topology, good)
    await publisher.publish(
        OutgoingMessage(
            exchange=events_topology.events_exchange,
            routing_key="workplan.hearing.scheduled.v1",
            body=b'{"specversion": "1.0"',
            content_type="application/cloudevents+json",
            message_id="broken-1",
        )
    )

    async def dead_lettered():
        return [r for r in caplog.records if r.getMessage().startswith("dead-lettered message")]

    [warning] = await eventually(dead_lettered, timeout=15)

    async def processed():  # the good event's batch may commit after the broken one is refused
        found = [r for r in caplog.records if r.name == "workplan.notifier.messages"]
        return found if {r.getMessage() for r in found} >= {"Received", "Processed"} else None

    per_message = await eventually(processed, timeout=15)

    assert {r.getMessage() for r in per_message} >= {"Received", "Processed"}
    assert {r.levelno for r in per_message} == {logging.DEBUG}
    assert warning.levelno == logging.WARNING
    line = ReadableFormatter().format(warning)
    assert "dead-lettered message broken-1: " in line
    assert warning.__dict__["reason"] in line  # the reason is part of the line itself
    assert warning.__dict__["code"] in line
    assert not [
        r for r in caplog.records if r.levelno == logging.INFO and good.id in r.getMessage()
    ]
