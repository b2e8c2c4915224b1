"""Page 9, administration (admin role): the overview, and recipients (add, edit, clear for
restricted notices, deactivate) through the notifier's admin API."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from services.console.adapters.service_client import Refused
from services.console.bootstrap import Console
from services.console.entrypoints.web.dependencies import Admin, ConsoleDep, checked_form
from services.console.entrypoints.web.forms import FormReader
from services.console.entrypoints.web.i18n import LANGUAGES
from services.console.entrypoints.web.labels import N_
from services.console.entrypoints.web.refusals import shown
from services.console.entrypoints.web.rendering import render
from services.console.entrypoints.web.viewer import Viewer

router = APIRouter()
PAGE_SIZE = 50
FIELDS = {"name": "name", "email": "email", "language": "language", "timezone": "timezone"}
DONE = {"added": N_("The recipient was added"), "changed": N_("The recipient was changed")}


@router.get("/admin")
async def overview(request: Request, console: ConsoleDep, viewer: Admin) -> Response:
    t = viewer.translator
    context = {
        "title": t.gettext("Administration"),
        "section": "admin",
        "mail": console.mailbox is not None,
    }
    return render(request, "admin.html", t, context, viewer=viewer)


@router.get("/admin/recipients")
async def recipients_page(
    request: Request,
    console: ConsoleDep,
    viewer: Admin,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    done: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    t = viewer.translator
    notice = t.gettext(DONE[done]) if done in DONE else None
    return await _list(request, console, viewer, page, notice=notice)


async def _list(
    request: Request, console: Console, viewer: Viewer, page: int, *,
    notice: str | None = None, errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    t = viewer.translator
    found = await console.notifier.recipients(
        viewer.caller, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
    )
    context = {
        "title": t.gettext("Recipients"),
        "section": "admin",
        "recipients": found[:PAGE_SIZE],
        "more": len(found) > PAGE_SIZE,
        "page": page,
        "notice": notice,
        "errors": errors or {},
        "values": values or {"language": "az", "timezone": console.settings.default_timezone},
    }
    return render(request, "admin_recipients.html", t, context, viewer=viewer,
                  status_code=status_code)  # fmt: skip


def _read(reader: FormReader) -> dict[str, Any]:
    t = reader.t
    return {
        "name": reader.required("name", t.gettext("Enter the name"), 200),
        "email": reader.required("email", t.gettext("Enter the e-mail address"), 320),
        "language": reader.choice("language", list(LANGUAGES), t.gettext("Choose a language")),
        "timezone": reader.required("timezone", t.gettext("Enter a time zone, like Asia/Baku"), 64),
        "cleared": reader.form.get("cleared") == "yes",
    }


def _errors(refused: Refused, reader: FormReader) -> dict[str, str]:
    t = reader.t
    errors = shown(refused, FIELDS, "name", t).errors
    for key, message in list(errors.items()):
        if "exists already" in message:
            errors["email"] = t.gettext("Another recipient has this e-mail address")
            if key != "email":
                errors.pop(key)
    return errors


@router.post("/admin/recipients")
async def add_recipient(request: Request, console: ConsoleDep, viewer: Admin) -> Response:
    form = await checked_form(request, viewer)
    reader = FormReader(form, viewer.translator)
    body = _read(reader)
    if not reader.errors:
        try:
            await console.notifier.add_recipient(viewer.caller, body)
        except Refused as refused:
            reader.errors |= _errors(refused, reader)
        else:
            return RedirectResponse("/admin/recipients?done=added", status_code=303)
    return await _list(request, console, viewer, 1, errors=reader.errors,
                       values=reader.values(), status_code=400)  # fmt: skip


@router.get("/admin/recipients/{recipient_id}")
async def edit_form(
    recipient_id: uuid.UUID, request: Request, console: ConsoleDep, viewer: Admin
) -> Response:
    found = await console.notifier.recipient(viewer.caller, str(recipient_id))
    values = {**found, "cleared": "yes" if found["cleared"] else "",
              "active": "yes" if found["active"] else ""}  # fmt: skip
    return _edit(request, viewer, found, values)


def _edit(
    request: Request, viewer: Viewer, found: dict[str, Any], values: dict[str, Any],
    errors: dict[str, str] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    t = viewer.translator
    context = {
        "title": t.gettext("Change the recipient"),
        "section": "admin",
        "recipient": found,
        "values": values,
        "errors": errors or {},
    }
    return render(request, "admin_recipient.html", t, context, viewer=viewer,
                  status_code=status_code)  # fmt: skip


@router.post("/admin/recipients/{recipient_id}")
async def change_recipient(
    recipient_id: uuid.UUID, request: Request, console: ConsoleDep, viewer: Admin
) -> Response:
    form = await checked_form(request, viewer)
    found = await console.notifier.recipient(viewer.caller, str(recipient_id))
    reader = FormReader(form, viewer.translator)
    changes = _read(reader) | {"active": form.get("active") == "yes"}
    if not reader.errors:
        try:
            await console.notifier.update_recipient(viewer.caller, str(recipient_id), changes)
        except Refused as refused:
            reader.errors |= _errors(refused, reader)
        else:
            return RedirectResponse("/admin/recipients?done=changed", status_code=303)
    return _edit(request, viewer, found, reader.values(), reader.errors, 400)
