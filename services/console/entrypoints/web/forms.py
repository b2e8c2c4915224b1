"""Reading what a person typed into a form: dates (day, month, year), times in the session's
zone, text per language, lists. Each reader returns the value or records a message for the
field, so the page can show every mistake at once next to its field."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData

from services.console.entrypoints.web.i18n import LANGUAGES, Translator

TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
TAG_SPLIT = re.compile(r"[\s,;]+")
MAX_TEXT = 20_000


class FormReader:
    """Reads one posted form; ``errors`` maps a field id to what is wrong with it."""

    def __init__(self, form: FormData, t: Translator) -> None:
        self.form = form
        self.t = t
        self.errors: dict[str, str] = {}
        self.targets: dict[str, str] = {}

    def text(self, name: str, limit: int = 500) -> str:
        value = str(self.form.get(name) or "").replace("\r\n", "\n").strip()
        if "\x00" in value:
            self.errors[name] = self.t.gettext("Remove the invisible control characters")
            return ""
        if len(value) > limit:
            self.errors[name] = self.t.gettext(
                "Use at most %(limit)s characters", limit=self.t.number(limit)
            )
        return value

    def required(self, name: str, message: str, limit: int = 500) -> str:
        value = self.text(name, limit)
        if not value and name not in self.errors:
            self.errors[name] = message
        return value

    def choice(self, name: str, allowed: list[str] | tuple[str, ...], message: str) -> str:
        value = str(self.form.get(name) or "")
        if value not in allowed:
            self.errors[name] = message
        return value

    def choices(self, name: str) -> list[str]:
        return [str(value) for value in self.form.getlist(name) if str(value)]

    def localized(self, prefix: str, limit: int = 500) -> dict[str, str]:
        """``{language: text}`` of the fields ``prefix_az``, ``prefix_en``, ``prefix_ru``."""
        found = {}
        for language in LANGUAGES:
            value = self.text(f"{prefix}_{language}", limit)
            if value:
                found[language] = value
        return found

    def lines(self, name: str) -> list[str]:
        return [line.strip() for line in self.text(name, MAX_TEXT).splitlines() if line.strip()]

    def tags(self, name: str) -> list[str]:
        return [tag.lower() for tag in TAG_SPLIT.split(self.text(name, 2000)) if tag]

    def date(self, name: str, *, required: bool, label: str) -> dt.date | None:
        """A GOV.UK date input: ``name-day``, ``name-month``, ``name-year``."""
        parts = [
            str(self.form.get(f"{name}-{part}") or "").strip() for part in ("day", "month", "year")
        ]
        self.targets[name] = f"{name}-day"
        if not any(parts):
            if required:
                self.errors[name] = self.t.gettext("Enter the %(what)s", what=label)
            return None
        if not all(part.isdigit() for part in parts):
            self.errors[name] = self.t.gettext(
                "The %(what)s must be a real date, with a day, month and year in numbers",
                what=label,
            )
            return None
        day, month, year = (int(part) for part in parts)
        try:
            return dt.date(year, month, day)
        except ValueError:
            self.errors[name] = self.t.gettext("The %(what)s must be a real date", what=label)
            return None

    def clock(self, name: str, *, label: str) -> dt.time | None:
        value = str(self.form.get(name) or "").strip()
        if not value:
            self.errors.setdefault(name, self.t.gettext("Enter the %(what)s", what=label))
            return None
        match = TIME.match(value)
        if match is None or int(match[1]) > 23 or int(match[2]) > 59:
            self.errors.setdefault(
                name,
                self.t.gettext("Enter the %(what)s as hours and minutes, like 14:30", what=label),
            )
            return None
        return dt.time(int(match[1]), int(match[2]))

    def moment(self, day: dt.date | None, at: dt.time | None, zone: str) -> dt.datetime | None:
        """The moment in the session's time zone (what the person meant), with its offset."""
        if day is None or at is None:
            return None
        return dt.datetime.combine(day, at, ZoneInfo(zone))

    def date_value(self, name: str) -> dict[str, str]:
        """What was typed into a date input, to show it again."""
        return {
            part: str(self.form.get(f"{name}-{part}") or "") for part in ("day", "month", "year")
        }

    def values(self) -> dict[str, Any]:
        """Everything typed, to fill the form again after a refusal."""
        shown: dict[str, Any] = {}
        for key in self.form:
            items = self.form.getlist(key)
            shown[key] = [str(item) for item in items] if len(items) > 1 else str(items[0])
        return shown


def date_parts(value: dt.date | str | None) -> dict[str, str]:
    if not value:
        return {"day": "", "month": "", "year": ""}
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


def local_parts(moment: str | None, zone: str) -> tuple[dict[str, str], str]:
    """A stored moment as the date parts and ``HH:MM`` of the session's zone."""
    if not moment:
        return date_parts(None), ""
    local = dt.datetime.fromisoformat(moment).astimezone(ZoneInfo(zone))
    return date_parts(local.date()), local.strftime("%H:%M")
