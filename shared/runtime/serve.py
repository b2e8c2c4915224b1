"""Run a service process: its logs and traces set up, its app served by uvicorn
(SIGTERM/SIGINT shut down gracefully)."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from shared.observability.tracing import configure_tracing
from shared.runtime.logs import configure_logging
from shared.settings import WorkplanSettings


def configure_process(settings: WorkplanSettings, service: str) -> None:
    """Logging as configured, and OpenTelemetry tracing when it is enabled."""
    configure_logging(settings.log_level, json=settings.log_json, service=service)
    if settings.otel_enabled:
        configure_tracing(service)


def serve(app: FastAPI, *, host: str, port: int, graceful_timeout: float) -> None:
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,  # keep our JSON logging
        timeout_graceful_shutdown=int(graceful_timeout),
        lifespan="on",
        proxy_headers=True,
        loop="uvloop",  # libuv's event loop: less CPU per socket read and write
        http="httptools",  # the HTTP parser in C, not h11's in Python
    )
    uvicorn.Server(config).run()
