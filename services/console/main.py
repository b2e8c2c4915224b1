"""App factory of the console: nothing is built at import time."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from services.console.bootstrap import SERVICE, bootstrap
from services.console.entrypoints.web.app import REPOSITORY, install_error_pages, mount_assets
from services.console.entrypoints.web.i18n import load_catalogues
from services.console.entrypoints.web.pages import (
    admin_dead_letters,
    admin_recipients,
    admin_webhooks,
    calendar,
    hearing_forms,
    inbox,
    item_forms,
    items,
    meeting_forms,
    my_notifications,
    oidc,
    report,
    search,
    sign_in,
    work_plan,
)
from services.console.entrypoints.web.rendering import create_environment
from services.console.entrypoints.web.security import SecurityHeaders, content_security_policy
from services.console.settings import ConsoleSettings
from shared.runtime.serve import configure_process, serve

VERSION = "0.1.0"
PAGES = [
    sign_in.router,
    oidc.router,
    work_plan.router,
    item_forms.router,  # /items/new before /items/{item_id}
    items.router,
    calendar.router,  # /hearings/{id}/calendar.ics before /hearings/{id}/{action}
    hearing_forms.router,
    meeting_forms.router,
    inbox.router,
    search.router,
    report.router,
    my_notifications.router,
    admin_recipients.router,
    admin_webhooks.router,
    admin_dead_letters.router,
]


def create_app(
    settings: ConsoleSettings | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    console = bootstrap(settings or ConsoleSettings(), transport)
    node_modules = console.settings.node_modules or REPOSITORY / "node_modules"

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await console.close()

    app = FastAPI(
        title="Workplan staff console",
        version=VERSION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.console = console
    app.state.catalogues = load_catalogues()
    app.state.templates = create_environment()
    for router in PAGES:
        app.include_router(router)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": SERVICE}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        try:
            async with console.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:
            return JSONResponse({"status": "unavailable", "problems": ["database"]}, 503)
        return JSONResponse({"status": "ready", "service": SERVICE})

    mount_assets(app, node_modules)
    install_error_pages(app)
    issuer = _origin(console.settings.oidc_discovery_url)
    app.add_middleware(SecurityHeaders, policy=content_security_policy((issuer,) if issuer else ()))
    return app


def _origin(url: str | None) -> str | None:
    if not url:
        return None
    parsed = httpx.URL(url)
    return f"{parsed.scheme}://{parsed.netloc.decode()}"


def run() -> None:
    settings = ConsoleSettings()
    configure_process(settings, SERVICE)
    serve(
        create_app(settings),
        host=settings.console_host,
        port=settings.console_port,
        graceful_timeout=settings.graceful_timeout,
    )
