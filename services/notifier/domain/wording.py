"""Words that change with the language: month names, statuses, field names, dates and times.

Tables rather than system locales (which a server may not have): Azerbaijani and English
months in the nominative, Russian in the genitive, as a date is written ("12 марта 2026").
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

from services.notifier.domain.recipients import language_chain

MONTHS: dict[str, tuple[str, ...]] = {
    "az": (
        "yanvar", "fevral", "mart", "aprel", "may", "iyun",
        "iyul", "avqust", "sentyabr", "oktyabr", "noyabr", "dekabr",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "ru": (
        "января", "февраля", "марта", "апреля", "мая", "июня",
        "июля", "августа", "сентября", "октября", "ноября", "декабря",
    ),
}  # fmt: skip

STATUS_WORDS: dict[str, dict[str, str]] = {
    "az": {
        "planned": "planlaşdırılıb",
        "in_progress": "icra olunur",
        "completed": "başa çatıb",
        "deferred": "təxirə salınıb",
        "cancelled": "ləğv edilib",
    },
    "en": {
        "planned": "planned",
        "in_progress": "in progress",
        "completed": "completed",
        "deferred": "deferred",
        "cancelled": "cancelled",
    },
    "ru": {
        "planned": "запланирован",
        "in_progress": "выполняется",
        "completed": "выполнен",
        "deferred": "отложен",
        "cancelled": "отменён",
    },
}

FIELD_WORDS: dict[str, dict[str, str]] = {
    "az": {
        "title": "ad",
        "description": "təsvir",
        "category": "kateqoriya",
        "organizations": "tərəfdaş təşkilatlar",
        "owners": "məsul şəxslər",
        "period_start": "müddətin başlanğıcı",
        "period_end": "müddətin sonu",
        "classification": "məxfilik dərəcəsi",
        "tags": "etiketlər",
    },
    "en": {
        "title": "title",
        "description": "description",
        "category": "category",
        "organizations": "counterparts",
        "owners": "responsible people",
        "period_start": "start of period",
        "period_end": "end of period",
        "classification": "classification",
        "tags": "tags",
    },
    "ru": {
        "title": "название",
        "description": "описание",
        "category": "категория",
        "organizations": "организации-партнёры",
        "owners": "ответственные",
        "period_start": "начало срока",
        "period_end": "конец срока",
        "classification": "гриф",
        "tags": "метки",
    },
}


def localized(texts: Mapping[str, str], language: str) -> str:
    """The text in the recipient's language, else English, else any language there is."""
    for candidate in language_chain(language):
        if texts.get(candidate):
            return texts[candidate]
    return next((text for text in texts.values() if text), "")


def word(table: dict[str, dict[str, str]], language: str, key: str) -> str:
    for candidate in language_chain(language):
        found = table.get(candidate, {}).get(key)
        if found:
            return found
    return key.replace("_", " ")


def format_date(moment: datetime, zone: ZoneInfo, language: str) -> str:
    """``12 March 2026`` / ``12 mart 2026`` / ``12 марта 2026``, in the recipient's zone."""
    local = moment.astimezone(zone)
    months = MONTHS.get(language, MONTHS["en"])
    return f"{local.day} {months[local.month - 1]} {local.year}"


def format_moment(moment: datetime, zone: ZoneInfo, language: str) -> str:
    local = moment.astimezone(zone)
    return f"{format_date(local, zone, language)}, {local:%H:%M}"


def format_span(starts_at: datetime, ends_at: datetime, zone: ZoneInfo, language: str) -> str:
    """``12 March 2026, 11:00–13:00 (Asia/Baku)``; both dates when it crosses midnight."""
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    if start.date() == end.date():
        span = f"{format_moment(start, zone, language)}–{end:%H:%M}"
    else:
        span = f"{format_moment(start, zone, language)} – {format_moment(end, zone, language)}"
    return f"{span} ({zone.key})"


def format_span_for(
    starts_at: datetime, ends_at: datetime, session: ZoneInfo, reader: ZoneInfo, language: str
) -> str:
    """The session's local time first (where the hearing takes place), then the reader's
    when it differs: ``12 March 2026, 11:00–13:00 (Asia/Baku); 12 March 2026, 07:00–09:00
    (Europe/London)``."""
    shown = format_span(starts_at, ends_at, session, language)
    if reader.key == session.key:
        return shown
    return f"{shown}; {format_span(starts_at, ends_at, reader, language)}"


def format_day(day: date, language: str) -> str:
    """``12 March 2026`` / ``12 mart 2026`` / ``12 марта 2026``."""
    months = MONTHS.get(language, MONTHS["en"])
    return f"{day.day} {months[day.month - 1]} {day.year}"
