"""Recipients: the staff (or systems) notices go to, with their language and time zone."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo, available_timezones

from services.notifier.domain.errors import RuleViolation

Language = Literal["az", "en", "ru"]
LANGUAGES: tuple[Language, ...] = ("az", "en", "ru")
"""Languages the notices are written in; English is the fallback."""
FALLBACK_LANGUAGE: Language = "en"
EMAIL_PATTERN = re.compile(r"[^@\s<>\",;]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]")
NOT_ZONES = frozenset({"Factory", "localtime", "posixrules"})
"""Files of the time zone database that name no place: a placeholder and local links."""


def language_chain(language: str) -> tuple[str, ...]:
    """The order to look for text in: the recipient's language, then English."""
    return (language,) if language == FALLBACK_LANGUAGE else (language, FALLBACK_LANGUAGE)


def check_email(address: str) -> str:
    if CONTROL_CHARACTER.search(address):
        raise RuleViolation(f"e-mail address {address!r} must not contain control characters")
    if not EMAIL_PATTERN.fullmatch(address) or ".." in address.rsplit("@", 1)[1]:
        raise RuleViolation(f"{address!r} is not an e-mail address")
    return address


@cache
def known_zones() -> frozenset[str]:
    """The IANA time zone names this machine knows (read from disk once)."""
    return frozenset(available_timezones()) - NOT_ZONES


def check_timezone(name: str) -> str:
    """An IANA time zone name that this machine knows, e.g. ``Asia/Baku``."""
    if name not in known_zones():
        raise RuleViolation(f"{name!r} is not a known IANA time zone (e.g. Asia/Baku)")
    return name


@dataclass(eq=False)
class Recipient:
    name: str
    email: str
    language: Language = "en"
    timezone: str = "Asia/Baku"
    active: bool = True
    cleared: bool = False
    """Cleared for restricted data: only then are restricted notices (always redacted)
    sent to them at all; an uncleared recipient hears nothing of restricted records."""
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        check_email(self.email)
        check_timezone(self.timezone)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
