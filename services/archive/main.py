"""App factories of the archive: nothing is built at import time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from services.archive.bootstrap import BINDING, SERVICE, bootstrap
from services.archive.entrypoints.api import (
    access_log,
    calendar,
    errors,
    events,
    feeds,
    organizations,
    reports,
    search,
    states,
)
from services.archive.entrypoints.consumers import ArchiveConsumer
from services.archive.settings import ArchiveSettings
from shared.db.engine import ping
from shared.messaging.consumer_document import consumer_document
from shared.runtime.serve import configure_process, serve
from shared.runtime.service_app import ServiceParts, create_service_app

if TYPE_CHECKING:  # FastStream only describes this service's queue; it runs none of it
    from faststream.specification import AsyncAPI

VERSION = "0.1.0"
DESCRIPTION = """
The immutable record of every event of the Workplan system, and the read models built
from it: search, filters, timelines, "as of" state, a calendar feed, reports, exports.

Authenticate with a bearer token (`workplan tokens create --scope archive:read`).
Restricted items and their events need `archive:restricted`; every read of them is
written to the access log, which auditors read with `archive:audit`. Lists stream as
JSON, CSV or JSON Lines (`format=` or `Accept`).
"""


def create_app(settings: ArchiveSettings | None = None) -> FastAPI:
    archive = bootstrap(settings or ArchiveSettings())
    consumer = ArchiveConsumer(archive)

    async def consumer_ready() -> str | None:
        return consumer.problem()

    parts = ServiceParts(
        name=SERVICE,
        settings=archive.settings,
        ping_database=lambda: ping(archive.engine),
        engine=archive.engine,
        publisher=archive.publisher,
        topology=archive.topology,
        metrics=CollectorRegistry(auto_describe=True),
        bindings=[BINDING],
        workers=[consumer.run],
        probes=[consumer_ready],
    )
    app = create_service_app(
        parts,
        title="Workplan archive",
        description=DESCRIPTION,
        version=VERSION,
        routers=[
            search.router,
            events.router,
            states.router,
            organizations.router,
            calendar.router,
            feeds.router,
            reports.router,
            access_log.router,
        ],
        openapi_tags=[
            {"name": "search", "description": "One ranked search across everything"},
            {"name": "events", "description": "The log: every event as received"},
            {"name": "items", "description": "Work-plan items, now or as of a moment"},
            {"name": "hearings", "description": "Hearings, now or as of a moment"},
            {"name": "meetings", "description": "Meetings, now or as of a moment"},
            {"name": "organizations", "description": "Activity per counterpart"},
            {
                "name": "calendar",
                "description": "iCalendar feeds: with a bearer token, or by a secret feed "
                "address that calendar programs subscribe to",
            },
            {"name": "reports", "description": "Progress of a work plan"},
            {"name": "audit", "description": "Who read restricted data (`archive:audit`)"},
            {"name": "operations", "description": "Health, readiness, metrics"},
        ],
    )
    app.state.archive = archive
    errors.install(app)
    return app


def asyncapi(settings: ArchiveSettings | None = None) -> AsyncAPI:
    """The AsyncAPI document of what the archive consumes (generated from the code).

    The archive consumes with aio-pika directly (see ``entrypoints/consumers.py``); this
    describes that queue and binding through FastStream's document model. It never runs.
    """
    archive = bootstrap(settings or ArchiveSettings())
    return consumer_document(
        archive.topology,
        BINDING,
        title="Workplan archive",
        version=VERSION,
        description="What the archive consumes (structured or binary CloudEvents; "
        "see docs/events.md).",
        queue_description=(
            "Every CloudEvent on the events exchange, structured or binary, from the "
            "planner and registered external systems. Archived once per source + id; "
            "unknown types from authorised sources are kept; refused messages are "
            "dead-lettered with the reason."
        ),
    )


def run() -> None:
    settings = ArchiveSettings()
    configure_process(settings, SERVICE)
    serve(
        create_app(settings),
        host=settings.archive_host,
        port=settings.archive_port,
        graceful_timeout=settings.graceful_timeout,
    )
