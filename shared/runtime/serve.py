"""Serve an app with uvicorn: SIGTERM/SIGINT shut down gracefully."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI


def serve(app: FastAPI, *, host: str, port: int, graceful_timeout: float) -> None:
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,  # keep our JSON logging
        timeout_graceful_shutdown=int(graceful_timeout),
        lifespan="on",
        proxy_headers=True,
    )
    uvicorn.Server(config).run()
