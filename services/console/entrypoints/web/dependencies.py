"""Dependencies of the console's pages, declared once as ``Annotated`` aliases."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.datastructures import FormData

from services.console.adapters.service_client import (
    NotFoundAtService,
    Refused,
    ServiceUnavailable,
)
from services.console.bootstrap import Console
from services.console.domain.accounts import Role
from services.console.domain.sessions import token_hash
from services.console.entrypoints.web.i18n import LANGUAGES, Translator
from services.console.entrypoints.web.security import (
    CSRF_FIELD,
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    same_token,
)
from services.console.entrypoints.web.viewer import NotAllowed, SignInNeeded, Viewer

TOUCH_AFTER = timedelta(minutes=1)
"""A session's expiry moves forward at most once a minute (not one write per request)."""


def get_console(request: Request) -> Console:
    console: Console = request.app.state.console
    return console


ConsoleDep = Annotated[Console, Depends(get_console)]


def translator(request: Request, language: str) -> Translator:
    catalogues = request.app.state.catalogues
    chosen = (
        language if language in LANGUAGES else request.app.state.console.settings.default_language
    )
    return Translator(chosen, catalogues[chosen])


def anonymous_translator(request: Request) -> Translator:
    """Before sign-in: ``?lang=``, then the language cookie, then the browser's, then default."""
    asked = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    if asked not in LANGUAGES:
        accepted = request.headers.get("accept-language", "")
        asked = next(
            (
                part.split(";")[0].strip()[:2].lower()
                for part in accepted.split(",")
                if part.split(";")[0].strip()[:2].lower() in LANGUAGES
            ),
            None,
        )
    return translator(request, asked or "")


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


async def current_viewer(request: Request, console: ConsoleDep) -> Viewer:
    """The signed-in viewer, or :class:`SignInNeeded` (sign-in, then back here)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise SignInNeeded(_here(request))
    hashed = token_hash(cookie)
    session = await console.sessions.get(hashed)
    now = datetime.now(UTC)
    if session is None:
        raise SignInNeeded(_here(request), expired=True)
    if session.expired(now):
        await console.sessions.remove(hashed)
        raise SignInNeeded(_here(request), expired=True)
    account = await console.accounts.by_id(session.account_id)
    if account is None or not account.active:
        await console.sessions.remove(hashed)
        raise SignInNeeded(_here(request))
    renewed = now + console.session_idle
    if renewed - session.expires_at >= TOUCH_AFTER:
        await console.sessions.touch(hashed, renewed)
        session = session.extended(now, console.session_idle)
    viewer = Viewer(account, session, translator(request, account.language))
    if viewer.inbox_caller is not None and request.headers.get("hx-request") != "true":
        viewer = dataclasses.replace(viewer, unread=await unread_count(console, viewer))
    request.state.viewer = viewer
    return viewer


UNREAD_WAIT = 1.0
"""Seconds a page waits for the header's unread count before it shows none."""


async def unread_count(console: Console, viewer: Viewer) -> int | None:
    """The header's unread count; ``None`` when the notifier cannot say it now (the page is
    shown all the same)."""
    caller = viewer.inbox_caller
    if caller is None:
        return None
    with contextlib.suppress(ServiceUnavailable, NotFoundAtService, Refused, TimeoutError):
        return await asyncio.wait_for(console.notifier.unread(caller), UNREAD_WAIT)
    return None


ViewerDep = Annotated[Viewer, Depends(current_viewer)]


def needs(role: Role) -> object:
    """A dependency that lets the page through only for holders of ``role``."""

    async def dependency(viewer: ViewerDep) -> Viewer:
        if not viewer.account.has(role):
            raise NotAllowed(role)
        return viewer

    return Depends(dependency)


Clerk = Annotated[Viewer, needs("clerk")]
Analyst = Annotated[Viewer, needs("analyst")]
Admin = Annotated[Viewer, needs("admin")]


async def checked_form(request: Request, viewer: Viewer) -> FormData:
    """The posted form, after its CSRF token matched the session's (else 403)."""
    form = await request.form(max_files=0, max_fields=500)
    if not same_token(viewer.session.csrf_token, form.get(CSRF_FIELD)):
        raise HTTPException(403, "csrf")
    return form
