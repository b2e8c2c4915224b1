"""The daily digest: notices of digest subscriptions gathered and sent once a day.

Each recipient's digest for a day holds the entries that arrived before that day's digest
hour in the recipient's time zone and were in no earlier digest.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import MINYEAR, UTC, date, datetime, time
from zoneinfo import ZoneInfo

from services.notifier.domain.errors import RuleViolation

DIGEST_SOURCE = "urn:workplan:notifier"
"""The event source of digest deliveries: their key is (this, ``digest/<day>``, recipient)."""
FIRST_DIGEST_DAY = date(1900, 1, 1)
LAST_DIGEST_DAY = date(2200, 12, 31)
"""The days a digest may be asked for: the years a parliament plans for, as in the planner."""


@dataclass(frozen=True)
class DigestEntry:
    recipient_id: uuid.UUID
    event_source: str
    event_id: str
    event_type: str
    headline: str
    details: str
    link: str
    restricted: bool
    item_id: uuid.UUID | None = None
    """The item the notice was about (its own, or its hearing's or meeting's)."""
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def check_digest_day(day: date) -> date:
    if not FIRST_DIGEST_DAY <= day <= LAST_DIGEST_DAY:
        raise RuleViolation(
            f"the digest day {day.isoformat()} must lie between the years "
            f"{FIRST_DIGEST_DAY.year} and {LAST_DIGEST_DAY.year}"
        )
    return day


def digest_key(day: date) -> str:
    return f"digest/{day.isoformat()}"


def cutoff(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """The moment the digest of ``day`` is made: its digest hour, in the recipient's zone.

    On the first and last days a ``datetime`` holds, that moment in UTC may lie outside
    its range: it is then the earliest or the latest moment there is.
    """
    try:
        return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)
    except OverflowError:
        if day.year == MINYEAR:
            return datetime.min.replace(tzinfo=UTC)
        return datetime.max.replace(tzinfo=UTC)


def digest_day_due(now: datetime, hour: int, zone: ZoneInfo) -> date | None:
    """The local day whose digest is due now, or ``None`` before the digest hour."""
    local = now.astimezone(zone)
    return local.date() if local.hour >= hour else None
