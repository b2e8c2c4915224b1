"""App factories of the planner: nothing is built at import time."""

from __future__ import annotations

from fnmatch import fnmatchcase

from fastapi import FastAPI
from faststream.rabbit import RabbitBroker
from faststream.rabbit.prometheus import RabbitPrometheusMiddleware
from faststream.specification import AsyncAPI
from prometheus_client import CollectorRegistry

from services.planner.bootstrap import BINDING, SERVICE, Planner, bootstrap
from services.planner.entrypoints.api import (
    errors,
    hearings,
    items,
    meetings,
    organizations,
    sessions,
    work_plans,
)
from services.planner.entrypoints.consumers import build_consumer_router
from services.planner.settings import PlannerSettings
from shared.contract import EVENT_TYPES
from shared.contract.amqp_binding import STRUCTURED_CONTENT_TYPE
from shared.contract.documents import typed_envelope
from shared.messaging.publisher_policy import PLANNER_TYPES
from shared.messaging.topology import events_exchange
from shared.runtime.logs import PER_MESSAGE_LEVEL, broker_logger
from shared.runtime.serve import configure_process, serve
from shared.runtime.service_app import ServiceParts, create_service_app

VERSION = "0.1.0"
DESCRIPTION = """
The committee's work plan: items, hearings, meetings and counterpart organisations.
Every change leaves as a CloudEvent through a transactional outbox.

Authenticate with a bearer token (`workplan tokens create --scope planner:read
--scope planner:write`). Restricted items need `planner:restricted`.
"""


def create_broker(planner: Planner, metrics: CollectorRegistry) -> RabbitBroker:
    settings = planner.settings
    broker = RabbitBroker(
        settings.amqp_url.get_secret_value(),
        graceful_timeout=settings.graceful_timeout,
        app_id=SERVICE,
        logger=broker_logger(SERVICE),
        log_level=PER_MESSAGE_LEVEL,
        middlewares=[RabbitPrometheusMiddleware(registry=metrics, app_name=SERVICE)],
        description="Events of the Workplan system (CloudEvents 1.0).",
    )
    broker.include_router(build_consumer_router(planner))
    return broker


def create_app(settings: PlannerSettings | None = None) -> FastAPI:
    planner = bootstrap(settings or PlannerSettings())
    metrics = CollectorRegistry(auto_describe=True)
    parts = ServiceParts(
        name=SERVICE,
        settings=planner.settings,
        engine=planner.engine,
        publisher=planner.publisher,
        topology=planner.topology,
        metrics=metrics,
        broker=create_broker(planner, metrics),
        bindings=[BINDING],
        workers=[planner.relay, planner.retention.run],
    )
    app = create_service_app(
        parts,
        title="Workplan planner",
        description=DESCRIPTION,
        version=VERSION,
        routers=[
            items.router,
            hearings.router,
            meetings.router,
            organizations.router,
            sessions.router,
            work_plans.router,
        ],
        openapi_tags=[
            {"name": "items", "description": "Work-plan items and their status"},
            {"name": "hearings", "description": "Hearings: schedule, reschedule, cancel, hold"},
            {"name": "meetings", "description": "Meetings with counterpart organisations"},
            {"name": "organizations", "description": "Counterpart organisations"},
            {"name": "sessions", "description": "Committees' sessions and their time zones"},
            {"name": "operations", "description": "Health, readiness, metrics"},
        ],
    )
    app.state.planner = planner
    errors.install(app)
    return app


def asyncapi(settings: PlannerSettings | None = None) -> AsyncAPI:
    """The AsyncAPI document of the planner's consumers (generated from the code)."""
    planner = bootstrap(settings or PlannerSettings())
    broker = create_broker(planner, CollectorRegistry())
    for event_type, model in EVENT_TYPES.items():
        if any(fnmatchcase(event_type, pattern) for pattern in PLANNER_TYPES):
            broker.publisher(  # documents what the outbox relay publishes; never sends
                exchange=events_exchange(planner.topology),
                routing_key=event_type,
                title=event_type,
                description=model.__doc__,
                schema=typed_envelope(model),
                content_type=STRUCTURED_CONTENT_TYPE,
                persist=True,
            )
    return AsyncAPI(
        broker,
        title="Workplan planner",
        version=VERSION,
        description=(
            "What the planner consumes, and the events its outbox relay publishes "
            "(structured-mode CloudEvents; see docs/events.md)."
        ),
    )


def run() -> None:
    settings = PlannerSettings()
    configure_process(settings, SERVICE)
    serve(
        create_app(settings),
        host=settings.planner_host,
        port=settings.planner_port,
        graceful_timeout=settings.graceful_timeout,
    )
