"""OpenTelemetry, switched on: one trace from a staff request through the event to a consumer.

The spans go to the SDK's in-memory exporter (a real tracer provider, nothing patched).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from services.planner.main import create_app
from services.planner.settings import PlannerSettings
from shared.contract.amqp_binding import decode_message
from shared.messaging.publisher import ConfirmingPublisher
from shared.observability.tracing import configure_tracing
from tests.planner.test_external_meetings import meeting_event, meetings_of
from tests.planner.test_item_events import NEW_ITEM
from tests.support import ProbeQueue, eventually
from workplan.cli.events import to_message

_EXPORTER = InMemorySpanExporter()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """The process's tracer provider, set once (OpenTelemetry allows one), emptied per test."""
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        configure_tracing("planner", _EXPORTER)
    _EXPORTER.clear()
    yield _EXPORTER
    _EXPORTER.clear()


def finished(exporter: InMemorySpanExporter) -> tuple:
    """The spans ended so far (the batch processor is flushed first)."""
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    provider.force_flush()
    return exporter.get_finished_spans()


async def _spans_of(exporter: InMemorySpanExporter, event_id: str) -> list:
    """The consumer spans of one event (the sample plan's own meetings pass by too)."""
    return [
        span
        for span in finished(exporter)
        if span.name == "workplan.meeting.held.v1 process"
        and (span.attributes or {}).get("cloudevents.event_id") == event_id
    ]


async def test_an_event_carries_the_trace_of_the_request_that_made_it(
    spans, settings: PlannerSettings, planner, sample_plan, staff, amqp_url, topology
):
    application = create_app(settings.model_copy(update={"otel_enabled": True}))
    transport = httpx.ASGITransport(app=application)
    async with (
        ProbeQueue(amqp_url, topology, "workplan.item.created.v1") as probe,
        application.router.lifespan_context(application),
        httpx.AsyncClient(transport=transport, base_url="http://planner") as http,
    ):
        response = await http.post("/api/v1/items", json=NEW_ITEM, headers=staff)
        assert response.status_code == 201, response.text
        subject = f"item/{response.json()['id']}"
        messages = await probe.wait_for(13)  # the 12 imported items, then ours
        events = [decode_message(m.body, m.headers, m.content_type) for m in messages]

    ours = next(event for event in events if event.subject == subject)
    assert all(event.traceparent is None for event in events if event is not ours)  # no request
    [server] = [
        span
        for span in finished(spans)
        if span.kind == SpanKind.SERVER and span.name == "POST /api/v1/items"
    ]
    assert ours.traceparent is not None
    version, trace_id, _parent_id, flags = ours.traceparent.split("-")
    assert version == "00"
    assert int(flags, 16) & 1  # sampled
    assert int(trace_id, 16) == server.context.trace_id


async def test_a_consumer_continues_the_trace_an_external_event_carries(
    spans, settings: PlannerSettings, planner, sample_plan, amqp_url, topology
):
    trace_id, parent_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    event = meeting_event().model_copy(update={"traceparent": f"00-{trace_id}-{parent_id}-01"})
    application = create_app(settings.model_copy(update={"otel_enabled": True}))
    async with application.router.lifespan_context(application):
        publisher = ConfirmingPublisher(amqp_url, app_id="test-external-system")
        await publisher.connect()
        try:
            await publisher.publish(to_message(event, topology, mode="binary"))
        finally:
            await publisher.close()
        await eventually(lambda: meetings_of(planner))
        [span] = await eventually(lambda: _spans_of(spans, event.id), timeout=5)

    assert span.kind == SpanKind.CONSUMER
    assert span.context.trace_id == int(trace_id, 16)
    assert span.parent is not None
    assert span.parent.span_id == int(parent_id, 16)
    assert span.attributes["cloudevents.event_id"] == event.id
    assert span.attributes["messaging.consumer.group.name"] == "planner"
