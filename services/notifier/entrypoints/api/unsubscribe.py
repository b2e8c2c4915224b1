"""One-click unsubscribe (RFC 8058): ``POST /unsubscribe?token=…`` without a bearer token.

The token in the link is signed, and names what it mutes: one subscription, or a
recipient's digests. ``GET`` only shows a page with a button (link scanners follow GETs);
``POST`` mutes. Mandatory notices keep arriving.
"""

from __future__ import annotations

from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.responses import HTMLResponse, PlainTextResponse

from services.notifier.adapters.unsubscribe_tokens import InvalidUnsubscribeToken
from services.notifier.entrypoints.api.dependencies import NotifierDep
from services.notifier.handlers.ports import UnsubscribeScope
from services.notifier.handlers.subscriptions import unsubscribe

router = APIRouter(tags=["unsubscribe"])
Token = Annotated[str, Query(min_length=1, max_length=200, description="From the link.")]
PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Workplan: unsubscribe</title></head>
<body style="font-family:Arial,sans-serif;max-width:480px;margin:40px auto">
<p>Stop these Workplan notices? Mandatory notices (e.g. cancelled hearings) still arrive.</p>
<form method="post" action="/unsubscribe?token={token}">
<button type="submit">Unsubscribe</button>
</form></body></html>"""


def _scope(notifier: NotifierDep, token: str) -> UnsubscribeScope:
    try:
        return notifier.tokens.read(token)
    except InvalidUnsubscribeToken as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc


BAD_TOKEN: dict[int | str, dict[str, Any]] = {
    422: {"description": "The token is malformed, forged or expired (`detail` says which)"}
}


@router.get("/unsubscribe", response_class=HTMLResponse, responses=BAD_TOKEN)
async def confirm_page(notifier: NotifierDep, token: Token) -> HTMLResponse:
    _scope(notifier, token)
    return HTMLResponse(PAGE.format(token=escape(token, quote=True)))


@router.post(
    "/unsubscribe",
    response_class=PlainTextResponse,
    responses={**BAD_TOKEN, 404: {"description": "Removed already"}},
)
async def one_click(notifier: NotifierDep, token: Token) -> PlainTextResponse:
    """The mail client's one-click POST (body ``List-Unsubscribe=One-Click``, not needed)."""
    muted = await unsubscribe(_scope(notifier, token), notifier.uow())
    return PlainTextResponse(f"unsubscribed ({muted} subscription(s) muted)")
