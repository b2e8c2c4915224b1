"""The console's web application: pages, assets, and how failures are shown to people
(never a stack trace or raw JSON)."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from services.console.adapters.service_client import NotFoundAtService, ServiceUnavailable
from services.console.entrypoints.web.dependencies import anonymous_translator
from services.console.entrypoints.web.i18n import Translator
from services.console.entrypoints.web.labels import N_, SERVICES
from services.console.entrypoints.web.rendering import render
from services.console.entrypoints.web.viewer import NotAllowed, SignInNeeded, Viewer

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
REPOSITORY = Path(__file__).resolve().parents[4]


def mount_assets(app: FastAPI, node_modules: Path) -> None:
    """GOV.UK Frontend (CSS, JS, fonts, images) and htmx from npm, and our own files."""
    govuk = node_modules / "govuk-frontend" / "dist" / "govuk"
    app.mount("/assets", StaticFiles(directory=govuk / "assets", check_dir=False), name="assets")
    files = {
        "govuk-frontend.min.css": govuk / "govuk-frontend.min.css",
        "govuk-frontend.min.js": govuk / "govuk-frontend.min.js",
        "htmx.min.js": node_modules / "htmx.org" / "dist" / "htmx.min.js",
    }
    for name, path in files.items():
        _serve_file(app, f"/static/{name}", path)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")


def _serve_file(app: FastAPI, url: str, path: Path) -> None:
    media = "text/css" if path.suffix == ".css" else "text/javascript"
    present = path.is_file()

    async def serve() -> Response:
        if not present:
            return Response(
                f"{path.name} is missing: run npm ci (scripts/bootstrap)",
                404,
                media_type="text/plain",
            )
        return FileResponse(
            path, media_type=media, headers={"Cache-Control": "public, max-age=3600"}
        )

    app.add_api_route(url, serve, methods=["GET"], include_in_schema=False)


def _translator(request: Request) -> tuple[Translator, Viewer | None]:
    viewer: Viewer | None = getattr(request.state, "viewer", None)
    return (viewer.translator if viewer else anonymous_translator(request)), viewer


def problem_page(
    request: Request, status_code: int, heading: str, body: str, *, back: bool = True
) -> Response:
    t, viewer = _translator(request)
    context = {
        "title": t.gettext(heading),
        "heading": t.gettext(heading),
        "body": body,
        "back": back,
    }
    return render(request, "problem.html", t, context, viewer=viewer, status_code=status_code)


def install_error_pages(app: FastAPI) -> None:
    async def sign_in_needed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInNeeded)
        if request.headers.get("hx-request") == "true":
            return Response(status_code=286)  # a live part of a page: htmx stops polling
        target = f"/sign-in?next={quote(exc.next_path, safe='')}"
        if exc.expired:
            target += "&expired=true"
        return RedirectResponse(target, status_code=303)

    async def unavailable(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ServiceUnavailable)
        log.warning("a service is unavailable", extra={"service": exc.service, "error": str(exc)})
        t, _viewer = _translator(request)
        body = t.gettext(
            "The %(service)s service is not answering. This page needs it; the other pages "
            "still work. Try again in a few minutes.",
            service=t.gettext(SERVICES.get(exc.service, exc.service)),
        )
        return problem_page(request, 503, N_("Sorry, this page is not available right now"), body)

    async def not_found(request: Request, exc: Exception) -> Response:
        t, _viewer = _translator(request)
        body = t.gettext(
            "It may have been removed, the address may be wrong, or you may not have access to it."
        )
        return problem_page(request, 404, N_("Page not found"), body)

    async def not_allowed(request: Request, exc: Exception) -> Response:
        t, _viewer = _translator(request)
        body = t.gettext(
            "Your account does not have the role this page needs. Ask an administrator."
        )
        return problem_page(request, 403, N_("You cannot see this page"), body)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        t, _viewer = _translator(request)
        if exc.status_code == 403:
            body = t.gettext(
                "The form had expired or did not come from this site. "
                "Go back, reload the page and try again."
            )
            return problem_page(request, 403, N_("The form could not be sent"), body)
        if exc.status_code == 404:
            return await not_found(request, exc)
        body = t.gettext("The request could not be handled.")
        return problem_page(request, exc.status_code, N_("There is a problem"), body)

    async def invalid(request: Request, exc: Exception) -> Response:
        return await not_found(request, exc)

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("page failed", exc_info=exc)
        t, _viewer = _translator(request)
        body = t.gettext(
            "Something went wrong on our side. Nothing you entered was saved; try again."
        )
        return problem_page(request, 500, N_("Sorry, there is a problem with the service"), body)

    app.add_exception_handler(SignInNeeded, sign_in_needed)
    app.add_exception_handler(ServiceUnavailable, unavailable)
    app.add_exception_handler(NotFoundAtService, not_found)
    app.add_exception_handler(NotAllowed, not_allowed)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(404, not_found)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(Exception, unexpected)
