"""Administration: webhook endpoints (add, with the signing secret shown once; turn off or
on; remove) and the delivery log (filters, one delivery's journal, send again)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from services.console.adapters.service_client import NotFoundAtService, Refused
from services.console.bootstrap import Console
from services.console.entrypoints.web.dependencies import Admin, ConsoleDep, checked_form
from services.console.entrypoints.web.forms import FormReader
from services.console.entrypoints.web.labels import CHANNELS, DELIVERY_STATUSES, N_
from services.console.entrypoints.web.refusals import shown
from services.console.entrypoints.web.rendering import labeller, render
from services.console.entrypoints.web.viewer import Viewer

router = APIRouter()
PAGE_SIZE = 50
RESENDABLE = ("retrying", "failed", "dead")
DONE = {
    "off": N_("The webhook is turned off"),
    "on": N_("The webhook is turned on again"),
    "removed": N_("The webhook was removed"),
    "resent": N_("The delivery is queued to be sent again now"),
}
FIELDS = {"recipient_id": "recipient_id", "url": "url", "description": "description"}


async def _webhooks(
    request: Request, console: Console, viewer: Viewer, *, notice: str | None = None,
    issued: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    t = viewer.translator
    endpoints = await console.notifier.endpoints(viewer.caller)
    recipients = await console.notifier.recipients(viewer.caller, limit=500, offset=0)
    names = {r["id"]: f"{r['name']} <{r['email']}>" for r in recipients}
    context = {
        "title": t.gettext("Webhooks"),
        "section": "admin",
        "endpoints": endpoints,
        "names": names,
        "recipient_options": [("", t.gettext("Choose a recipient"))]
        + [(r["id"], names[r["id"]]) for r in recipients if r["active"]],
        "notice": notice,
        "issued": issued,
        "errors": errors or {},
        "values": values or {},
    }
    return render(request, "admin_webhooks.html", t, context, viewer=viewer,
                  status_code=status_code)  # fmt: skip


@router.get("/admin/webhooks")
async def webhooks_page(
    request: Request, console: ConsoleDep, viewer: Admin,
    done: Annotated[str, Query(max_length=10)] = "",
) -> Response:  # fmt: skip
    notice = viewer.translator.gettext(DONE[done]) if done in DONE else None
    return await _webhooks(request, console, viewer, notice=notice)


@router.post("/admin/webhooks")
async def add_webhook(request: Request, console: ConsoleDep, viewer: Admin) -> Response:
    form = await checked_form(request, viewer)
    t = viewer.translator
    reader = FormReader(form, t)
    body = {
        "recipient_id": reader.required("recipient_id", t.gettext("Choose a recipient"), 40),
        "url": reader.required("url", t.gettext("Enter the receiver’s address"), 2000),
        "description": reader.text("description", 200) or None,
    }
    if not reader.errors:
        try:
            issued = await console.notifier.add_endpoint(viewer.caller, body)
        except Refused as refused:
            reader.errors |= shown(refused, FIELDS, "url", t).errors
        else:
            return await _webhooks(request, console, viewer, issued=issued,
                                   notice=t.gettext("The webhook was added"))  # fmt: skip
    return await _webhooks(request, console, viewer, errors=reader.errors,
                           values=reader.values(), status_code=400)  # fmt: skip


@router.post("/admin/webhooks/{endpoint_id}/{action}")
async def change_webhook(
    endpoint_id: uuid.UUID, action: str, request: Request, console: ConsoleDep, viewer: Admin
) -> Response:
    await checked_form(request, viewer)
    if action == "remove":
        await console.notifier.remove_endpoint(viewer.caller, str(endpoint_id))
        return RedirectResponse("/admin/webhooks?done=removed", status_code=303)
    if action not in ("on", "off"):
        raise NotFoundAtService(action)
    changes = {"enabled": action == "on"}
    await console.notifier.update_endpoint(viewer.caller, str(endpoint_id), changes)
    return RedirectResponse(f"/admin/webhooks?done={action}", status_code=303)


@router.get("/admin/deliveries")
async def deliveries_page(
    request: Request,
    console: ConsoleDep,
    viewer: Admin,
    status: Annotated[str, Query(max_length=20)] = "",
    channel: Annotated[str, Query(max_length=20)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    done: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    t = viewer.translator
    filters = {
        "status": status if status in DELIVERY_STATUSES else None,
        "channel": channel if channel in CHANNELS else None,
    }
    found = await console.notifier.deliveries(
        viewer.caller, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE, **filters
    )
    context = {
        "title": t.gettext("Deliveries"),
        "section": "admin",
        "deliveries": found[:PAGE_SIZE],
        "more": len(found) > PAGE_SIZE,
        "page": page,
        "status": filters["status"] or "",
        "channel": filters["channel"] or "",
        "resendable": RESENDABLE,
        "notice": t.gettext(DONE[done]) if done in DONE else None,
        "zone": console.settings.default_timezone,
        "status_options": [("", t.gettext("Any state"))]
        + [(code, t.gettext(label)) for code, label in DELIVERY_STATUSES.items()],
        "channel_options": [("", t.gettext("Any channel"))]
        + [(code, t.gettext(label)) for code, label in CHANNELS.items()],
        "delivery_label": labeller(t, DELIVERY_STATUSES),
        "channel_label": labeller(t, CHANNELS),
    }
    return render(request, "admin_deliveries.html", t, context, viewer=viewer)


@router.get("/admin/deliveries/{delivery_id}")
async def delivery_page(
    delivery_id: uuid.UUID, request: Request, console: ConsoleDep, viewer: Admin
) -> Response:
    t = viewer.translator
    found = await console.notifier.delivery(viewer.caller, str(delivery_id))
    context = {
        "title": t.gettext("Delivery"),
        "section": "admin",
        "delivery": found,
        "resendable": RESENDABLE,
        "zone": console.settings.default_timezone,
        "delivery_label": labeller(t, DELIVERY_STATUSES),
        "channel_label": labeller(t, CHANNELS),
    }
    return render(request, "admin_delivery.html", t, context, viewer=viewer)


@router.post("/admin/deliveries/{delivery_id}/resend")
async def resend(
    delivery_id: uuid.UUID, request: Request, console: ConsoleDep, viewer: Admin
) -> Response:
    await checked_form(request, viewer)
    try:
        await console.notifier.resend(viewer.caller, str(delivery_id))
    except Refused as refused:
        t = viewer.translator
        found = await console.notifier.delivery(viewer.caller, str(delivery_id))
        context = {
            "title": t.gettext("Delivery"),
            "section": "admin",
            "delivery": found,
            "resendable": RESENDABLE,
            "zone": console.settings.default_timezone,
            "errors": {"resend": t.gettext(
                "It cannot be sent again: %(reason)s", reason=str(refused))},
            "delivery_label": labeller(t, DELIVERY_STATUSES),
            "channel_label": labeller(t, CHANNELS),
        }  # fmt: skip
        return render(request, "admin_delivery.html", t, context, viewer=viewer, status_code=409)
    return RedirectResponse("/admin/deliveries?done=resent", status_code=303)
