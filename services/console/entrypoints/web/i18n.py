"""The interface's languages: gettext catalogues (Babel) az, en and ru, and dates and times
formatted by Babel for the language, in the time zone they belong to (never UTC).

The ``.po`` files beside this module are the source; they are compiled in memory when the
console starts, so no ``.mo`` file is built or committed.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

CATALOGUES = Path(__file__).resolve().parent / "translations"
LANGUAGES = ("az", "en", "ru")
LANGUAGE_NAMES = {"az": "Azərbaycanca", "en": "English", "ru": "Русский"}
DOMAIN = "messages"


def load_catalogues(folder: Path = CATALOGUES) -> dict[str, Translations]:
    """Every language's catalogue, compiled from its ``.po`` file."""
    loaded = {}
    for language in LANGUAGES:
        with (folder / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as source:
            catalog = read_po(source, locale=language, domain=DOMAIN)
        compiled = io.BytesIO()
        write_mo(compiled, catalog, use_fuzzy=False)
        compiled.seek(0)
        loaded[language] = Translations(compiled, domain=DOMAIN)
    return loaded


@dataclass(frozen=True)
class Translator:
    """What a page needs to speak its reader's language."""

    language: str
    translations: Translations

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.language)

    def gettext(self, message: str, **values: Any) -> str:
        translated = self.translations.gettext(message)
        return translated % values if values else translated

    def ngettext(self, singular: str, plural: str, count: int, **values: Any) -> str:
        translated = self.translations.ngettext(singular, plural, count)
        return translated % {"count": count, **values}

    def date(self, value: dt.date | str | None, form: str = "long") -> str:
        if value is None or value == "":
            return ""
        day = dt.date.fromisoformat(value) if isinstance(value, str) else value
        return format_date(day, format=form, locale=self.language)

    def month(self, value: dt.date) -> str:
        """A month and its year, as the language names them (``mart 2026``, ``March 2026``)."""
        return format_date(value, format="LLLL y", locale=self.language)

    def datetime(self, value: dt.datetime | str | None, zone: str, form: str = "medium") -> str:
        """A moment shown in ``zone`` (the session's time zone), never in UTC: the date in
        ``form`` and the time in hours and minutes, joined as the language joins them."""
        if value is None or value == "":
            return ""
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        local = moment.astimezone(ZoneInfo(zone))
        joined = str(self.locale.datetime_formats[form])
        clock = format_time(local, format="short", locale=self.language)
        return joined.format(clock, format_date(local, format=form, locale=self.language))

    def time(self, value: dt.datetime | str | None, zone: str) -> str:
        if value is None or value == "":
            return ""
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        return format_time(moment, format="short", tzinfo=ZoneInfo(zone), locale=self.language)

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.language)

    def percent(self, value: float) -> str:
        return format_percent(value, locale=self.language)

    def text(self, texts: dict[str, str] | None) -> str:
        """Multilingual content in the reader's language, else the first one there is."""
        if not texts:
            return ""
        return texts.get(self.language) or next(iter(texts.values()))

    def zone_name(self, zone: str) -> str:
        from babel.dates import get_timezone_location  # noqa: PLC0415 - rarely used

        return get_timezone_location(ZoneInfo(zone), locale=self.language, return_city=True)
