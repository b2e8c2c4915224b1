"""Build a service's process: its FastAPI app, whose lifespan runs consumers and workers.

Start-up: declare the topology, connect the publisher, start the FastStream subscribers,
start the background workers (e.g. the outbox relay). Shutdown (SIGTERM via uvicorn):
stop consuming and let in-flight messages finish (``graceful_timeout``), stop the workers,
close the publisher and the engine.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_fastapi_instrumentator import Instrumentator
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.auth.tokens import TokenVerifier
from shared.messaging.publisher import ConfirmingPublisher
from shared.messaging.topology import ConsumerBinding, Topology, declare_with
from shared.runtime import docs_pages, http_errors, openapi_contract
from shared.runtime.body_limit import BodySizeLimit
from shared.runtime.dead_letters_api import dead_letters_router
from shared.runtime.probes import (
    Probe,
    consumers_probe,
    database_probe,
    publisher_probe,
    run_probes,
)
from shared.settings import WorkplanSettings

if TYPE_CHECKING:  # only the planner runs FastStream subscribers
    from faststream.rabbit import RabbitBroker

log = logging.getLogger(__name__)

Worker = Callable[[asyncio.Event], Coroutine[Any, Any, None]]
"""A background loop that runs until the event is set."""


@dataclass
class ServiceParts:
    """What a service's bootstrap built; the app factory only runs it."""

    name: str
    settings: WorkplanSettings
    engine: AsyncEngine
    publisher: ConfirmingPublisher
    topology: Topology
    metrics: CollectorRegistry
    broker: RabbitBroker | None = None
    bindings: Sequence[ConsumerBinding] = ()
    workers: Sequence[Worker] = ()
    probes: list[Probe] = field(default_factory=list)
    advisories: list[Probe] = field(default_factory=list)
    """Shown by ``/readyz`` as ``degraded`` without making it fail (e.g. the mail server is
    down: the service should keep consuming)."""


def create_service_app(
    parts: ServiceParts,
    *,
    title: str,
    description: str,
    version: str,
    routers: Sequence[APIRouter],
    openapi_tags: list[dict[str, str]] | None = None,
) -> FastAPI:
    app = FastAPI(
        title=title,
        description=description,
        version=version,
        lifespan=_lifespan(parts),
        openapi_tags=openapi_tags,
        servers=openapi_contract.SERVERS,
        docs_url=None,  # served offline by docs_pages
        redoc_url=None,
        dependencies=[Depends(http_errors.refuse_nul_in_query)],
    )
    app.state.token_verifier = TokenVerifier(parts.settings)
    app.state.parts = parts
    for router in routers:
        app.include_router(router)
    app.include_router(_operations_router(parts))
    app.include_router(dead_letters_router(parts.name, parts.settings, parts.topology))
    docs_pages.install(app, title)
    http_errors.install(app)
    openapi_contract.install(app)
    app.add_middleware(BodySizeLimit, max_bytes=parts.settings.max_request_bytes)
    Instrumentator(registry=parts.metrics, excluded_handlers=["/metrics"]).instrument(app)
    if parts.settings.otel_enabled:
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor  # noqa: PLC0415

        FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz,metrics")
    return app


def _lifespan(
    parts: ServiceParts,
) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]:
    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        settings = parts.settings
        await declare_with(settings.amqp_url.get_secret_value(), parts.topology, *parts.bindings)
        await parts.publisher.connect()
        if parts.broker is not None:
            await parts.broker.start()
        stop = asyncio.Event()
        tasks = [asyncio.create_task(worker(stop)) for worker in parts.workers]
        log.info("service started", extra={"service": parts.name})
        try:
            yield
        finally:
            log.info("service stopping", extra={"service": parts.name})
            if parts.broker is not None:
                await parts.broker.stop()  # waits for in-flight messages (graceful_timeout)
            stop.set()
            if tasks:
                _done, pending = await asyncio.wait(tasks, timeout=settings.graceful_timeout)
                for task in pending:
                    task.cancel()
            await parts.publisher.close()
            await parts.engine.dispose()
            log.info("service stopped", extra={"service": parts.name})

    return lifespan


def _operations_router(parts: ServiceParts) -> APIRouter:
    router = APIRouter(tags=["operations"])
    probes = [database_probe(parts.engine), publisher_probe(parts.publisher), *parts.probes]
    if parts.broker is not None:
        probes.append(consumers_probe(parts.broker))

    @router.get("/healthz", summary="Liveness: the process answers")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": parts.name}

    @router.get(
        "/readyz",
        summary="Readiness: database, broker and consumers are up",
        description="200 when ready; `degraded` lists what works less well but does not stop "
        "the service (e.g. the mail server cannot be reached).",
        responses={503: {"description": "Not ready; `problems` says why"}},
    )
    async def readyz() -> JSONResponse:
        problems = await run_probes(probes)
        degraded = await run_probes(parts.advisories)
        if problems:
            return JSONResponse(
                {"status": "unavailable", "problems": problems, "degraded": degraded},
                status_code=503,
            )
        answer: dict[str, object] = {"status": "ready", "service": parts.name}
        if degraded:
            answer["degraded"] = degraded
        return JSONResponse(answer)

    @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    async def metrics() -> Response:
        body = generate_latest(parts.metrics) + generate_latest(REGISTRY)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return router
