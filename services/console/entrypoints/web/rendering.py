"""Pages from Jinja2 templates, in the reader's language, with the parts every page shares."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.console.entrypoints.web import labels
from services.console.entrypoints.web.i18n import LANGUAGE_NAMES, LANGUAGES, Translator
from services.console.entrypoints.web.viewer import Viewer

TEMPLATES = Path(__file__).resolve().parent / "templates"


def create_environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    environment.globals["listed"] = listed
    return environment


def listed(value: object) -> list[object]:
    """A form value as a list (a checkbox group sends one value or several)."""
    if isinstance(value, list):
        return value
    return [value] if value else []


def navigation(viewer: Viewer) -> list[tuple[str, str, str]]:
    """The header's menu: (href, label, section) of what the viewer's roles allow."""
    t = viewer.translator
    entries = []
    account = viewer.account
    if account.has("clerk"):
        entries.append(("/", t.gettext("Work plan"), "work-plan"))
        entries.append(("/calendar", t.gettext("Calendar"), "calendar"))
    if account.has("clerk"):
        entries.append(("/report", t.gettext("Report"), "report"))
    if account.has("analyst"):
        entries.append(("/search", t.gettext("Search"), "search"))
    if viewer.inbox_caller is not None:
        entries.append(("/inbox", t.gettext("Inbox"), "inbox"))
    entries.append(("/my/notifications", t.gettext("My notifications"), "my-notifications"))
    if account.has("admin"):
        entries.append(("/admin", t.gettext("Administration"), "admin"))
    return entries


def render(
    request: Request,
    template: str,
    translator: Translator,
    context: Mapping[str, Any],
    *,
    viewer: Viewer | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    environment: Environment = request.app.state.templates
    t = translator
    page: dict[str, Any] = {
        "t": t,
        "_": t.gettext,
        "ngettext": t.ngettext,
        "viewer": viewer,
        "csrf_token": viewer.session.csrf_token if viewer else "",
        "navigation": navigation(viewer) if viewer else [],
        "section": None,
        "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        "current_path": _path(request),
        "unread_poll": request.app.state.console.settings.unread_poll_seconds,
        "next_path": None,
        "notice": None,
        "errors": {},
        "error_targets": {},
        "error_links": [],
        "status_label": labeller(t, {**labels.HEARING_STATUSES, **labels.ITEM_STATUSES}),
        "tag_colour": lambda code: labels.STATUS_TAGS.get(code, "govuk-tag--grey"),
        "category_label": labeller(t, labels.CATEGORIES),
        "classification_label": labeller(t, labels.CLASSIFICATIONS),
        "format_label": labeller(t, labels.HEARING_FORMATS),
        "event_label": labeller(t, labels.EVENT_TYPES),
        **context,
    }
    html = environment.get_template(template).render(page)
    return HTMLResponse(html, status_code=status_code)


def labeller(t: Translator, table: Mapping[str, str]) -> Callable[[str], str]:
    """A template function: the words for an API code in the reader's language."""

    def label(code: str) -> str:
        return t.gettext(table[code]) if code in table else code

    return label


def _path(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")
