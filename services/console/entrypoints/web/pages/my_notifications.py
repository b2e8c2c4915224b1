"""Page 7, my notifications: what the viewer hears about and how (subscriptions: add, mute,
remove; at once or in a daily digest), their language and time zone for e-mail, and their
calendar feed addresses (make, list with last use, revoke).

Subscriptions and preferences go through the notifier's ``/api/v1/me`` routes with the
viewer's own recipient token; feeds through the archive with ``archive:calendar``. Each
part says so when its service does not answer, and the other part still works.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.console.adapters.service_client import (
    NotFoundAtService,
    Refused,
    ServiceUnavailable,
)
from services.console.bootstrap import Console
from services.console.entrypoints.web.dependencies import ConsoleDep, ViewerDep, checked_form
from services.console.entrypoints.web.forms import FormReader
from services.console.entrypoints.web.i18n import LANGUAGES
from services.console.entrypoints.web.labels import CHANNELS, MODES, N_, SUBSCRIPTION_TOPICS
from services.console.entrypoints.web.refusals import shown
from services.console.entrypoints.web.rendering import labeller, render
from services.console.entrypoints.web.viewer import Viewer

router = APIRouter()
DONE = {
    "subscribed": N_("You are subscribed"),
    "muted": N_("The subscription is muted"),
    "unmuted": N_("The subscription is on again"),
    "removed": N_("The subscription was removed"),
    "preferences": N_("Your language and time zone were saved"),
    "revoked": N_("The calendar address was revoked: it shows nothing from now on"),
}
SUBSCRIPTION_FIELDS = {
    "event_type": "event_type",
    "channel": "channel",
    "mode": "mode",
    "committee": "committee",
}
PREFERENCE_FIELDS = {"language": "language", "timezone": "timezone"}
FEED_FIELDS = {"name": "feed_name", "committee": "feed_committee"}


async def _parts(console: Console, viewer: Viewer) -> dict[str, Any]:
    """The notifier's and the archive's parts, each with its own problem when down."""
    t = viewer.translator
    parts: dict[str, Any] = {
        "me": None,
        "subscriptions": [],
        "notifier_problem": None,
        "feeds": [],
        "feeds_problem": None,
        "zone_of_viewer": console.settings.default_timezone,
    }
    caller = viewer.inbox_caller
    if caller is None:
        parts["notifier_problem"] = t.gettext(
            "Your account has no e-mail address, so it has no notifications. "
            "An administrator can add one."
        )
    else:
        try:
            parts["me"] = await console.notifier.me(caller)
            parts["zone_of_viewer"] = parts["me"]["timezone"]
            parts["subscriptions"] = await console.notifier.my_subscriptions(caller)
        except ServiceUnavailable:
            parts["notifier_problem"] = t.gettext(
                "The notifier is not answering, so your subscriptions cannot be shown now."
            )
        except NotFoundAtService:
            parts["notifier_problem"] = t.gettext(
                "Your notification settings cannot be found. Ask an administrator."
            )
    try:
        parts["feeds"] = await console.archive.feeds(viewer.caller)
    except ServiceUnavailable:
        parts["feeds_problem"] = t.gettext(
            "The archive is not answering, so your calendar addresses cannot be shown now."
        )
    return parts


async def _page(
    request: Request,
    console: Console,
    viewer: Viewer,
    *,
    notice: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    issued: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    t = viewer.translator
    context = {
        "title": t.gettext("My notifications"),
        "section": "my-notifications",
        "notice": notice,
        "errors": errors or {},
        "values": values
        or {
            "event_type": "workplan.hearing.*",
            "channel": "inbox",
            "mode": "immediate",
        },
        "issued": issued,
        "topic_options": [(code, t.gettext(label)) for code, label in SUBSCRIPTION_TOPICS.items()],
        "channel_options": [
            (code, t.gettext(label)) for code, label in CHANNELS.items() if code != "webhook"
        ],
        "mode_options": [(code, t.gettext(label)) for code, label in MODES.items()],
        "topic_label": lambda code: (
            t.gettext(SUBSCRIPTION_TOPICS[code]) if code in SUBSCRIPTION_TOPICS else code
        ),
        "channel_label": labeller(t, CHANNELS),
        "mode_label": labeller(t, MODES),
        **await _parts(console, viewer),
    }
    return render(
        request, "my_notifications.html", t, context, viewer=viewer, status_code=status_code
    )


@router.get("/my/notifications")
async def my_notifications(
    request: Request, console: ConsoleDep, viewer: ViewerDep, done: str = ""
) -> Response:
    t = viewer.translator
    notice = t.gettext(DONE[done]) if done in DONE else None
    return await _page(request, console, viewer, notice=notice)


def _back(done: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/my/notifications?done={done}{anchor}", status_code=303)


@router.post("/my/subscriptions")
async def subscribe(request: Request, console: ConsoleDep, viewer: ViewerDep) -> Response:
    form = await checked_form(request, viewer)
    t = viewer.translator
    reader = FormReader(form, t)
    body = {
        "event_type": reader.choice(
            "event_type", list(SUBSCRIPTION_TOPICS), t.gettext("Choose what to hear about")
        ),
        "channel": reader.choice("channel", ["inbox", "email"], t.gettext("Choose how")),
        "mode": reader.choice("mode", list(MODES), t.gettext("Choose when")),
        "committee": reader.text("committee", 40).upper() or None,
    }
    caller = viewer.inbox_caller
    if caller is None:
        raise NotFoundAtService("recipient")
    if not reader.errors:
        try:
            await console.notifier.subscribe(caller, body)
        except Refused as refused:
            reader.errors |= _subscription_errors(refused, t)
        else:
            return _back("subscribed", "#subscriptions")
    return await _page(request, console, viewer, errors=reader.errors, values=reader.values(),
                       status_code=400)  # fmt: skip


def _subscription_errors(refused: Refused, t: Any) -> dict[str, str]:
    errors = shown(refused, SUBSCRIPTION_FIELDS, "event_type", t).errors
    for key, message in list(errors.items()):
        if "e-mail only" in message:
            errors[key] = t.gettext("A daily digest is sent by e-mail only: choose e-mail")
    return errors


@router.post("/my/subscriptions/{subscription_id}/{action}")
async def change_subscription(
    subscription_id: uuid.UUID, action: str, request: Request, console: ConsoleDep,
    viewer: ViewerDep,
) -> Response:  # fmt: skip
    await checked_form(request, viewer)
    caller = viewer.inbox_caller
    if caller is None or action not in ("mute", "unmute", "remove"):
        raise NotFoundAtService(action)
    if action == "remove":
        await console.notifier.unsubscribe(caller, str(subscription_id))
        return _back("removed", "#subscriptions")
    muted = action == "mute"
    await console.notifier.change_subscription(caller, str(subscription_id), {"muted": muted})
    return _back("muted" if muted else "unmuted", "#subscriptions")


@router.post("/my/preferences")
async def preferences(request: Request, console: ConsoleDep, viewer: ViewerDep) -> Response:
    form = await checked_form(request, viewer)
    t = viewer.translator
    reader = FormReader(form, t)
    changes = {
        "language": reader.choice("language", list(LANGUAGES), t.gettext("Choose a language")),
        "timezone": reader.required("timezone", t.gettext("Enter a time zone, like Asia/Baku"), 64),
    }
    caller = viewer.inbox_caller
    if caller is None:
        raise NotFoundAtService("recipient")
    if not reader.errors:
        try:
            await console.notifier.update_me(caller, changes)
        except Refused as refused:
            errors = shown(refused, PREFERENCE_FIELDS, "timezone", t).errors
            if "timezone" in errors:
                errors["timezone"] = t.gettext(
                    "Enter a time zone the world’s time zone database knows, like Asia/Baku "
                    "or Europe/Moscow"
                )
            reader.errors |= errors
        else:
            return _back("preferences", "#preferences")
    return await _page(request, console, viewer, errors=reader.errors, values=reader.values(),
                       status_code=400)  # fmt: skip


@router.post("/my/feeds")
async def make_feed(request: Request, console: ConsoleDep, viewer: ViewerDep) -> Response:
    """Make a calendar address and show it, once: only its hash is kept."""
    form = await checked_form(request, viewer)
    t = viewer.translator
    reader = FormReader(form, t)
    name = reader.text("feed_name", 200) or t.gettext("Workplan: hearings and meetings")
    body: dict[str, Any] = {"name": name}
    committee = reader.text("feed_committee", 40).upper()
    if committee:
        body["committee"] = committee
    if not reader.errors:
        try:
            issued = await console.archive.create_feed(viewer.caller, body)
        except Refused as refused:
            reader.errors |= shown(refused, FEED_FIELDS, "feed_name", t).errors
        else:
            return await _page(request, console, viewer, issued=issued,
                               notice=t.gettext("Your calendar address is ready"))  # fmt: skip
    return await _page(request, console, viewer, errors=reader.errors, values=reader.values(),
                       status_code=400)  # fmt: skip


@router.post("/my/feeds/{feed_id}/revoke")
async def revoke_feed(
    feed_id: uuid.UUID, request: Request, console: ConsoleDep, viewer: ViewerDep
) -> Response:
    await checked_form(request, viewer)
    await console.archive.revoke_feed(viewer.caller, str(feed_id))
    return _back("revoked", "#feeds")
