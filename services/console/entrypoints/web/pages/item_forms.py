"""Page 3, forms on items: create one, edit it, change its status (POST → redirect)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from services.console.adapters.service_client import Refused
from services.console.entrypoints.web.dependencies import Clerk, ConsoleDep, checked_form
from services.console.entrypoints.web.forms import FormReader, date_parts
from services.console.entrypoints.web.labels import CATEGORIES, CLASSIFICATIONS, ITEM_STATUSES
from services.console.entrypoints.web.refusals import shown
from services.console.entrypoints.web.rendering import render
from services.console.entrypoints.web.viewer import Viewer

router = APIRouter()
ITEM_FIELDS = {
    "title": "title_az",
    "title.az": "title_az",
    "title.en": "title_en",
    "title.ru": "title_ru",
    "description": "description_az",
    "description.az": "description_az",
    "description.en": "description_en",
    "description.ru": "description_ru",
    "category": "category",
    "organizations": "organizations",
    "owners": "owners",
    "period_start": "period_start",
    "period_end": "period_end",
    "classification": "classification",
    "tags": "tags",
    "ref": "ref",
}
"""The planner's field names → this form's field ids."""


async def _item_form(
    request: Request,
    console: ConsoleDep,
    viewer: Viewer,
    *,
    values: dict[str, Any],
    plan: dict[str, str] | None = None,
    item: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    targets: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    t = viewer.translator
    organizations = await console.planner.organizations(viewer.caller)
    context = {
        "title": t.gettext("Edit the item") if item else t.gettext("Add an item"),
        "section": "work-plan",
        "item": item,
        "plan": plan,
        "values": values,
        "errors": errors or {},
        "error_targets": {"period_start": "period_start-day", "period_end": "period_end-day",
                          "organizations": "organizations", **(targets or {})},
        "category_options": [("", t.gettext("Choose a category"))]
        + [(code, t.gettext(label)) for code, label in CATEGORIES.items()],
        "classification_options": [(c, t.gettext(label)) for c, label in CLASSIFICATIONS.items()],
        "organization_options": [
            (o["code"], f"{o['code']} – {t.text(o['name'])}") for o in organizations
        ],
    }  # fmt: skip
    return render(request, "item_form.html", t, context, viewer=viewer, status_code=status_code)


def _plan(text: str) -> dict[str, str] | None:
    committee, _, session = text.partition("/")
    return {"committee": committee, "session": session} if committee and session else None


@router.get("/items/new")
async def new_item(
    request: Request,
    console: ConsoleDep,
    viewer: Clerk,
    plan: Annotated[str, Query(max_length=130)] = "",
) -> Response:
    chosen = _plan(plan)
    if chosen is None:
        return RedirectResponse("/", status_code=303)
    values = {"classification": "public", "plan": plan}
    return await _item_form(request, console, viewer, values=values, plan=chosen)


def _read_item(reader: FormReader) -> dict[str, Any]:
    t = reader.t
    title = reader.localized("title")
    if not title and not any(f"title_{code}" in reader.errors for code in ("az", "en", "ru")):
        reader.errors["title_az"] = t.gettext("Enter the title in at least one language")
    body: dict[str, Any] = {
        "title": title,
        "description": reader.localized("description", limit=20_000),
        "category": reader.choice("category", list(CATEGORIES), t.gettext("Choose a category")),
        "organizations": reader.choices("organizations"),
        "owners": reader.lines("owners"),
        "period_start": reader.date("period_start", required=False, label=t.gettext("start date")),
        "period_end": reader.date("period_end", required=False, label=t.gettext("end date")),
        "classification": reader.choice(
            "classification", list(CLASSIFICATIONS), t.gettext("Choose who may see the item")
        ),
        "tags": reader.tags("tags"),
    }
    start, end = body["period_start"], body["period_end"]
    if start and end and end < start:
        reader.errors["period_end"] = t.gettext(
            "The end of the period must be on or after its start"
        )
    body["period_start"] = start.isoformat() if start else None
    body["period_end"] = end.isoformat() if end else None
    return body


@router.post("/items/new")
async def create_item(request: Request, console: ConsoleDep, viewer: Clerk) -> Response:
    form = await checked_form(request, viewer)
    reader = FormReader(form, viewer.translator)
    plan = _plan(reader.text("plan", 130))
    if plan is None:
        return RedirectResponse("/", status_code=303)
    body = _read_item(reader) | plan
    ref = reader.text("ref", 60).lower()
    if ref:
        body["ref"] = ref
    if not reader.errors:
        try:
            created = await console.planner.create_item(viewer.caller, body)
        except Refused as refused:
            reader.errors |= shown(refused, ITEM_FIELDS, "title_az", viewer.translator).errors
        else:
            return RedirectResponse(f"/items/{created['id']}?done=created", status_code=303)
    return await _item_form(
        request, console, viewer, values=reader.values(), plan=plan, errors=reader.errors,
        targets=reader.targets, status_code=400,
    )  # fmt: skip


@router.get("/items/{item_id}/edit")
async def edit_item(
    item_id: uuid.UUID, request: Request, console: ConsoleDep, viewer: Clerk
) -> Response:
    item = await console.planner.item(viewer.caller, str(item_id))
    values: dict[str, Any] = {
        **{f"title_{code}": text for code, text in item["title"].items()},
        **{f"description_{code}": text for code, text in item["description"].items()},
        "category": item["category"],
        "organizations": item["organizations"],
        "owners": "\n".join(item["owners"]),
        "classification": item["classification"],
        "tags": ", ".join(item["tags"]),
        **{f"period_start-{k}": v for k, v in date_parts(item["period_start"]).items()},
        **{f"period_end-{k}": v for k, v in date_parts(item["period_end"]).items()},
    }
    return await _item_form(request, console, viewer, values=values, item=item)


@router.post("/items/{item_id}/edit")
async def update_item(
    item_id: uuid.UUID, request: Request, console: ConsoleDep, viewer: Clerk
) -> Response:
    form = await checked_form(request, viewer)
    item = await console.planner.item(viewer.caller, str(item_id))
    reader = FormReader(form, viewer.translator)
    body = _read_item(reader)
    if not reader.errors:
        try:
            await console.planner.update_item(viewer.caller, str(item_id), body)
        except Refused as refused:
            reader.errors |= shown(refused, ITEM_FIELDS, "title_az", viewer.translator).errors
        else:
            return RedirectResponse(f"/items/{item_id}?done=updated", status_code=303)
    return await _item_form(
        request, console, viewer, values=reader.values(), item=item, errors=reader.errors,
        targets=reader.targets, status_code=400,
    )  # fmt: skip


async def _status_form(
    request: Request,
    viewer: Viewer,
    item: dict[str, Any],
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    t = viewer.translator
    context = {
        "title": t.gettext("Change the status"),
        "section": "work-plan",
        "item": item,
        "values": values,
        "errors": errors or {},
        "status_options": [(c, t.gettext(label)) for c, label in ITEM_STATUSES.items()],
    }
    return render(request, "status_form.html", t, context, viewer=viewer, status_code=status_code)


@router.get("/items/{item_id}/status")
async def status_form(
    item_id: uuid.UUID, request: Request, console: ConsoleDep, viewer: Clerk
) -> Response:
    item = await console.planner.item(viewer.caller, str(item_id))
    return await _status_form(request, viewer, item, {"status": item["status"]})


@router.post("/items/{item_id}/status")
async def change_status(
    item_id: uuid.UUID, request: Request, console: ConsoleDep, viewer: Clerk
) -> Response:
    form = await checked_form(request, viewer)
    item = await console.planner.item(viewer.caller, str(item_id))
    t = viewer.translator
    reader = FormReader(form, t)
    status = reader.choice("status", list(ITEM_STATUSES), t.gettext("Choose the new status"))
    reason = reader.text("reason") or None
    if not reader.errors:
        try:
            await console.planner.change_status(viewer.caller, str(item_id), status, reason)
        except Refused as refused:
            fields = {"status": "status", "reason": "reason"}
            reader.errors |= shown(refused, fields, "status", t).errors
        else:
            return RedirectResponse(f"/items/{item_id}?done=status", status_code=303)
    return await _status_form(request, viewer, item, reader.values(), reader.errors, 400)
