"""Sign in with a local account (argon2 password), sign out, choose the language."""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from services.console.adapters.service_client import Refused, ServiceUnavailable
from services.console.bootstrap import Console
from services.console.domain.errors import ConsoleError, SignInRefused
from services.console.domain.sessions import new_session, new_session_token
from services.console.entrypoints.web.dependencies import (
    ConsoleDep,
    ViewerDep,
    anonymous_translator,
    checked_form,
)
from services.console.entrypoints.web.i18n import LANGUAGES
from services.console.entrypoints.web.rendering import render
from services.console.entrypoints.web.security import (
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    SIGN_IN_CSRF_COOKIE,
    new_csrf_token,
    safe_next,
    same_token,
    set_cookie,
)
from services.console.handlers import accounts

router = APIRouter()
NextPath = Annotated[str, Query(max_length=2000)]
YEAR = 365 * 24 * 3600


def sign_in_page(
    request: Request,
    console: ConsoleDep,
    next_path: str,
    *,
    username: str = "",
    errors: dict[str, str] | None = None,
    expired: bool = False,
    status_code: int = 200,
) -> Response:
    t = anonymous_translator(request)
    csrf = request.cookies.get(SIGN_IN_CSRF_COOKIE) or new_csrf_token()
    response = render(
        request,
        "sign_in.html",
        t,
        {
            "title": t.gettext("Sign in"),
            "sign_in_csrf": csrf,
            "next_path": next_path,
            "username": username,
            "errors": errors or {},
            "expired": expired,
            "oidc": console.oidc is not None,
        },
        status_code=status_code,
    )
    secure = console.settings.cookie_secure
    set_cookie(response, SIGN_IN_CSRF_COOKIE, csrf, secure=secure, max_age=3600)
    if request.query_params.get("lang") in LANGUAGES:
        set_cookie(response, LANGUAGE_COOKIE, t.language, secure=secure, max_age=YEAR)
    return response


@router.get("/sign-in")
async def sign_in_form(
    request: Request, console: ConsoleDep, next: NextPath = "/", expired: bool = False
) -> Response:
    return sign_in_page(request, console, safe_next(next), expired=expired)


@router.post("/sign-in")
async def sign_in(request: Request, console: ConsoleDep) -> Response:
    form = await request.form(max_files=0, max_fields=20)
    t = anonymous_translator(request)
    next_path = safe_next(str(form.get("next") or "/"))
    username = str(form.get("username") or "").strip()[:100]
    password = str(form.get("password") or "")[:1000]
    if not same_token(request.cookies.get(SIGN_IN_CSRF_COOKIE), form.get("csrf_token")):
        errors = {"username": t.gettext("Your sign-in form had expired. Sign in again.")}
        return sign_in_page(request, console, next_path, username=username, errors=errors,
                             status_code=400)  # fmt: skip
    errors = {}
    if not username:
        errors["username"] = t.gettext("Enter your user name")
    if not password:
        errors["password"] = t.gettext("Enter your password")
    if errors:
        return sign_in_page(request, console, next_path, username=username, errors=errors,
                             status_code=400)  # fmt: skip
    try:
        account = await accounts.sign_in(console.accounts, console.passwords, username, password)
    except SignInRefused:
        errors = {"username": t.gettext("The user name or password is not right")}
        return sign_in_page(request, console, next_path, username=username, errors=errors,
                             status_code=400)  # fmt: skip
    with contextlib.suppress(ServiceUnavailable, ConsoleError, Refused):
        # the inbox is linked at a later sign-in; signing in does not need the notifier
        account = await accounts.link_inbox(console.accounts, console.directory, account)
    return await start_session(console, account.id, next_path)


async def start_session(console: Console, account_id: uuid.UUID, next_path: str) -> Response:
    """A new server-side session; its random token goes into the HttpOnly cookie."""
    token = new_session_token()
    session = new_session(account_id, token, datetime.now(UTC), console.session_idle)
    await console.sessions.add(session)
    response = RedirectResponse(next_path, status_code=303)
    set_cookie(response, SESSION_COOKIE, token, secure=console.settings.cookie_secure)
    response.delete_cookie(SIGN_IN_CSRF_COOKIE, path="/")
    return response


@router.post("/sign-out")
async def sign_out(request: Request, console: ConsoleDep, viewer: ViewerDep) -> Response:
    await checked_form(request, viewer)
    await console.sessions.remove(viewer.session.token_hash)
    response = RedirectResponse("/sign-in?signed_out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language")
async def choose_language(request: Request, console: ConsoleDep, viewer: ViewerDep) -> Response:
    form = await checked_form(request, viewer)
    language = str(form.get("language") or "")
    if language in LANGUAGES:
        await accounts.choose_language(console.accounts, viewer.account.id, language)
    return RedirectResponse(safe_next(str(form.get("next") or "/")), status_code=303)
