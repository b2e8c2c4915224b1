"""Administration: each service's dead letters with their reasons and a replay button (over
the services' admin APIs, never RabbitMQ directly), and the mail the local catcher kept."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from services.console.adapters.service_client import (
    NotFoundAtService,
    Refused,
    ServiceUnavailable,
)
from services.console.entrypoints.web.dependencies import Admin, ConsoleDep, checked_form
from services.console.entrypoints.web.labels import SERVICES
from services.console.entrypoints.web.rendering import labeller, render
from services.console.entrypoints.web.viewer import Viewer

router = APIRouter()


async def _letters(console: Any, viewer: Viewer, service: str) -> dict[str, Any]:
    t = viewer.translator
    try:
        return {"service": service, "letters": await console.dead_letters.letters(
            viewer.caller, service), "problem": None}  # fmt: skip
    except ServiceUnavailable:
        problem = t.gettext("The %(service)s service is not answering.",
                            service=t.gettext(SERVICES[service]))  # fmt: skip
    except (NotFoundAtService, Refused):
        problem = t.gettext("The %(service)s service does not list its dead letters.",
                            service=t.gettext(SERVICES[service]))  # fmt: skip
    return {"service": service, "letters": [], "problem": problem}


@router.get("/admin/dead-letters")
async def dead_letters_page(
    request: Request, console: ConsoleDep, viewer: Admin,
    replayed: Annotated[int, Query(ge=0, le=1_000_000)] = -1,
) -> Response:  # fmt: skip
    t = viewer.translator
    services = await asyncio.gather(
        *(_letters(console, viewer, service) for service in console.dead_letters.services)
    )
    context = {
        "title": t.gettext("Dead letters"),
        "section": "admin",
        "services": services,
        "service_label": labeller(t, SERVICES),
        "notice": t.ngettext(
            "%(count)s message was sent back", "%(count)s messages were sent back", replayed
        )
        if replayed >= 0
        else None,
    }
    return render(request, "admin_dead_letters.html", t, context, viewer=viewer)


@router.post("/admin/dead-letters/{service}/replay")
async def replay(service: str, request: Request, console: ConsoleDep, viewer: Admin) -> Response:
    form = await checked_form(request, viewer)
    if service not in console.dead_letters.services:
        raise NotFoundAtService(service)
    chosen = [str(value) for value in form.getlist("message_id") if str(value)][:1000]
    count = await console.dead_letters.replay(
        viewer.caller, service, None if form.get("all") == "yes" else chosen
    )
    return RedirectResponse(f"/admin/dead-letters?replayed={count}", status_code=303)


@router.get("/admin/mail")
async def mail_page(request: Request, console: ConsoleDep, viewer: Admin) -> Response:
    t = viewer.translator
    if console.mailbox is None:
        raise NotFoundAtService("mail")
    caught, total = await asyncio.to_thread(console.mailbox.newest)
    context = {
        "title": t.gettext("Caught mail"),
        "section": "admin",
        "caught": caught,
        "total": total,
        "folder": str(console.mailbox.path),
        "zone": console.settings.default_timezone,
    }
    return render(request, "admin_mail.html", t, context, viewer=viewer)


@router.get("/admin/mail/{mail_id}")
async def mail_message(
    mail_id: str, request: Request, console: ConsoleDep, viewer: Admin
) -> Response:
    t = viewer.translator
    if console.mailbox is None:
        raise NotFoundAtService("mail")
    found = await asyncio.to_thread(console.mailbox.read, mail_id)
    if found is None:
        raise NotFoundAtService(mail_id)
    context = {
        "title": found.mail.subject or t.gettext("Caught mail"),
        "section": "admin",
        "found": found,
        "zone": console.settings.default_timezone,
    }
    return render(request, "admin_mail_message.html", t, context, viewer=viewer)
