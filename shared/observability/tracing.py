"""OpenTelemetry traces, optional: one trace from a staff request to every consumer.

Off unless ``WORKPLAN_OTEL_ENABLED=true``; then each process sends its spans to an OTLP/HTTP
collector named by the standard ``OTEL_EXPORTER_OTLP_*`` variables (by default
``http://localhost:4318``). The trace context travels *inside* the event, in the CloudEvent
``traceparent`` extension (W3C Trace Context, the CloudEvents distributed-tracing
extension), so it survives the outbox, the relay and any broker in between: the planner
writes the context of the request that made the change into each event it records, and a
consumer continues that trace with a span of its own around the handler.

With tracing off, the OpenTelemetry API is a no-op: no context is written, no span kept.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.trace import Span, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from shared.contract import CloudEvent

_PROPAGATOR = TraceContextTextMapPropagator()
_TRACER = "workplan"


def configure_tracing(service: str, exporter: SpanExporter | None = None) -> None:
    """Send this process's spans to ``exporter`` (default: OTLP over HTTP), as
    ``workplan-<service>``. Call once, from a service's ``run``."""
    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # noqa: PLC0415
            OTLPSpanExporter,  # imported only when tracing is on
        )

        exporter = OTLPSpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": f"workplan-{service}"}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)


def current_traceparent() -> str | None:
    """The W3C ``traceparent`` of the current span, or ``None`` outside a recorded trace."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get("traceparent")


@contextlib.contextmanager
def consuming(event: CloudEvent, service: str) -> Iterator[Span]:
    """A consumer span around the handling of ``event``, a child of the span that made it."""
    parent = _PROPAGATOR.extract({"traceparent": event.traceparent}) if event.traceparent else None
    tracer = trace.get_tracer(_TRACER)
    with tracer.start_as_current_span(
        f"{event.type} process",
        context=parent,
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.system": "rabbitmq",
            "messaging.operation.type": "process",
            "messaging.consumer.group.name": service,
            "cloudevents.event_id": event.id,
            "cloudevents.event_source": event.source,
            "cloudevents.event_type": event.type,
            "cloudevents.event_subject": event.subject or "",
        },
    ) as span:
        yield span
