"""Sign-in through an OpenID Connect provider (authorization code + PKCE), when configured."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from services.console.adapters.oidc import OidcFailed
from services.console.domain.errors import ConsoleError
from services.console.entrypoints.web.dependencies import ConsoleDep, anonymous_translator
from services.console.entrypoints.web.pages.sign_in import sign_in_page, start_session
from services.console.entrypoints.web.security import safe_next
from services.console.entrypoints.web.viewer import NotAllowed
from services.console.handlers import accounts

router = APIRouter()
log = logging.getLogger(__name__)
Param = Annotated[str, Query(max_length=2000)]


@router.get("/sign-in/oidc")
async def start(request: Request, console: ConsoleDep, next: Param = "/") -> Response:
    if console.oidc is None:
        raise NotAllowed("oidc")
    try:
        url, login = await console.oidc.start(_callback(request), safe_next(next))
    except OidcFailed as exc:
        return _refused(request, console, safe_next(next), str(exc))
    await console.oidc_logins.add(login)
    return RedirectResponse(url, status_code=303)


@router.get("/sign-in/oidc/callback", name="oidc_callback")
async def callback(
    request: Request, console: ConsoleDep, state: Param = "", code: Param = "", error: Param = ""
) -> Response:
    if console.oidc is None:
        raise NotAllowed("oidc")
    login = await console.oidc_logins.take(state) if state else None
    if login is None:
        return _refused(request, console, "/", "this sign-in had expired or was already used")
    if error or not code:
        return _refused(
            request, console, login.next_path, f"the provider said: {error or 'no code'}"
        )
    try:
        identity = await console.oidc.finish(_callback(request), code, login)
        account = await accounts.sign_in_with_oidc(
            console.accounts,
            subject=identity.subject,
            email=identity.email,
            email_verified=identity.email_verified,
            name=identity.name,
            username=identity.username,
            default_roles=console.settings.oidc_default_roles,
        )
    except (OidcFailed, ConsoleError) as exc:
        return _refused(request, console, login.next_path, str(exc))
    return await start_session(console, account.id, login.next_path)


def _callback(request: Request) -> str:
    return str(request.url_for("oidc_callback"))


def _refused(request: Request, console: ConsoleDep, next_path: str, reason: str) -> Response:
    log.warning("oidc sign-in refused", extra={"reason": reason})
    t = anonymous_translator(request)
    message = t.gettext(
        "Signing in with your organisation account did not work: %(reason)s.", reason=reason
    )
    return sign_in_page(request, console, next_path, errors={"username": message}, status_code=400)
