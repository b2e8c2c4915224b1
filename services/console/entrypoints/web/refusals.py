"""A service's refusal shown as form errors next to the fields it concerns.

The API names a field (FastAPI's validation errors carry its path) or states a rule in
words (``{"detail": "..."}``). Field paths map through each form's table; known rules are
recognised by their wording, put next to their field and said in the reader's language.
An overlap names the other hearing and links to it. Anything else is shown as the API
said it, at the form's first field: never as raw JSON.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from services.console.adapters.service_client import Refused
from services.console.entrypoints.web.i18n import Translator
from services.console.entrypoints.web.labels import N_

OVERLAP = re.compile(r"overlaps hearing ([0-9a-f-]{36})")


@dataclass
class ShownRefusal:
    errors: dict[str, str]
    links: list[tuple[str, str]] = field(default_factory=list)
    overlapping_hearing: str | None = None


RULES: list[tuple[re.Pattern[str], str, str]] = [
    (
        re.compile(r"overlaps another hearing"),  # one the caller may not see: not named
        "date",
        N_("This time overlaps another hearing of the committee"),
    ),
    (
        re.compile(r" held .* lies outside session"),
        "held_at",
        N_("That date lies outside the session of the item"),
    ),
    (
        re.compile(r"which is in the future"),
        "held_at",
        N_("It cannot be recorded as held in the future"),
    ),
    (
        re.compile(r"lies outside session"),
        "date",
        N_("The hearing must take place within the session’s dates"),
    ),
    (
        re.compile(r"must end after it starts"),
        "end_time",
        N_("The end time must be after the start time"),
    ),
    (
        re.compile(r"period ends .* before it starts"),
        "period_end",
        N_("The end of the period must be on or after its start"),
    ),
    (
        re.compile(r"unknown organisation"),
        "organizations",
        N_("Choose organisations the plan knows"),
    ),
    (
        re.compile(r"already has an item with ref"),
        "ref",
        N_("Another item of this work plan has this reference"),
    ),
    (
        re.compile(r"already at that time and place"),
        "date",
        N_("The hearing is already at that time and place"),
    ),
    (
        re.compile(r"and cannot be (scheduled|rescheduled|cancelled|held)|no hearing can be"),
        "general",
        N_("This is not possible in the current status"),
    ),
    (
        re.compile(r"cannot go from \w+ to \w+"),
        "status",
        N_("This status change is not allowed from the item’s current status"),
    ),
]
"""(wording of the API's rule, field it concerns, message in the reader's language)."""


def shown(
    refused: Refused, fields: dict[str, str], first_field: str, t: Translator
) -> ShownRefusal:
    """``fields`` maps the API's field name (the path's first part) to the form's field id."""
    result = ShownRefusal(errors={})
    for path, message in refused.problems:
        if path:
            target = _field(path, fields) or first_field
            result.errors.setdefault(target, _validation_message(message, t))
            continue
        overlap = OVERLAP.search(message)
        if overlap:
            result.overlapping_hearing = overlap[1]
            target = fields.get("starts_at", first_field)
            result.errors.setdefault(
                target, t.gettext("This time overlaps another hearing of the committee")
            )
            continue
        for pattern, concerned, words in RULES:
            if pattern.search(message):
                target = fields.get(
                    concerned, concerned if concerned in fields.values() else first_field
                )
                result.errors.setdefault(target, t.gettext(words))
                break
        else:
            result.errors.setdefault(first_field, message)
    return result


def _field(path: tuple[str, ...], fields: dict[str, str]) -> str | None:
    if not path:
        return None
    if len(path) > 1 and f"{path[0]}.{path[1]}" in fields:
        return fields[f"{path[0]}.{path[1]}"]
    return fields.get(path[0])


def _validation_message(message: str, t: Translator) -> str:
    lowered = message.lower()
    if "at most" in lowered and "character" in lowered:
        return t.gettext("The text is too long")
    if "should match pattern" in lowered or "string_pattern" in lowered:
        return t.gettext("Use only the characters this field allows")
    if "field required" in lowered:
        return t.gettext("This cannot be empty")
    return message
