"""Page 5, the inbox: the viewer's notifications from the notifier (their own recipient
token), newest first; mark one or all read; each notice links to its console page. The
header's unread count is part of every page and is renewed by htmx (``/inbox/count``)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.console.adapters.service_client import NotFoundAtService
from services.console.entrypoints.web.dependencies import (
    ConsoleDep,
    ViewerDep,
    checked_form,
    unread_count,
)
from services.console.entrypoints.web.labels import N_
from services.console.entrypoints.web.rendering import render
from services.console.entrypoints.web.security import safe_next

router = APIRouter()
PAGE_SIZE = 25
DONE = {"read": N_("The notice is marked as read"), "all": N_("Every notice is marked as read")}
CONSOLE_PATHS = ("/hearings/", "/items/", "/meetings/", "/")


def console_path(link: str) -> str | None:
    """The console page a notice's link names (its path), whatever base it was made with."""
    parts = urlsplit(link)
    path = parts.path or "/"
    if not path.startswith(CONSOLE_PATHS) or path.startswith("//"):
        return None
    if path.startswith("/api/v1/"):  # links made before notices pointed to the console
        path = path.removeprefix("/api/v1")
    return path + (f"#{parts.fragment}" if parts.fragment else "")


@router.get("/inbox")
async def inbox_page(
    request: Request,
    console: ConsoleDep,
    viewer: ViewerDep,
    unread: Annotated[bool, Query()] = False,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    done: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    t = viewer.translator
    caller = viewer.inbox_caller
    context: dict[str, Any] = {
        "title": t.gettext("Inbox"),
        "section": "inbox",
        "notice": t.gettext(DONE[done]) if done in DONE else None,
        "unread_only": unread,
        "page": page,
        "notices": [],
        "has_inbox": caller is not None,
        "zone": console.settings.default_timezone,
        "console_path": console_path,
        "here": str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
    }
    if caller is not None:
        found, me = await asyncio.gather(
            console.notifier.inbox(
                caller, unread_only=unread, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
            ),
            console.notifier.me(caller),
        )
        context |= {
            "notices": found[:PAGE_SIZE],
            "more": len(found) > PAGE_SIZE,
            "zone": me["timezone"],  # the reader's own, as in their e-mails
        }
    return render(request, "inbox.html", t, context, viewer=viewer)


@router.get("/inbox/count")
async def unread_fragment(request: Request, console: ConsoleDep, viewer: ViewerDep) -> Response:
    """The header's count, for htmx to swap in (the page shows it without JavaScript too)."""
    environment = request.app.state.templates
    count = await unread_count(console, viewer)
    t = viewer.translator
    html = environment.get_template("unread_count.html").render(
        {"unread": count, "ngettext": t.ngettext, "_": t.gettext}
    )
    return HTMLResponse(html)


@router.post("/inbox/read-all")
async def mark_all_read(request: Request, console: ConsoleDep, viewer: ViewerDep) -> Response:
    await checked_form(request, viewer)
    caller = viewer.inbox_caller
    if caller is None:
        raise NotFoundAtService("inbox")
    await console.notifier.mark_all_read(caller)
    return RedirectResponse("/inbox?done=all", status_code=303)


@router.post("/inbox/{notification_id}/read")
async def mark_read(
    notification_id: uuid.UUID, request: Request, console: ConsoleDep, viewer: ViewerDep
) -> Response:
    form = await checked_form(request, viewer)
    caller = viewer.inbox_caller
    if caller is None:
        raise NotFoundAtService("inbox")
    await console.notifier.mark_read(caller, str(notification_id))
    back = safe_next(str(form.get("next") or "/inbox"))
    if not back.startswith("/inbox"):
        back = "/inbox"
    separator = "&" if "?" in back else "?"
    return RedirectResponse(f"{back}{separator}done=read", status_code=303)
