"""Hearings and meetings as an iCalendar feed that calendar programs subscribe to.

- Each hearing keeps one ``UID`` for good; ``SEQUENCE`` is its version, so it rises with
  every change; a cancelled hearing stays with ``STATUS:CANCELLED``.
- Times are in the session's time zone (``DTSTART;TZID=Asia/Baku:…``) with a ``VTIMEZONE``
  for each zone used, so a program shows them right whatever zone it is in.
- ``URL`` leads back to the hearing's page in the staff console (a meeting's: its item's).
- ``REFRESH-INTERVAL`` (RFC 7986) and ``X-PUBLISHED-TTL`` (Outlook, Apple) say how often
  to fetch it again.
"""

from __future__ import annotations

import functools
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone, vDuration

from services.archive.handlers.ports import Row

MEETING_LENGTH = timedelta(hours=1)
"""Meetings report when they were held, not for how long; the feed shows an hour."""
UID_DOMAIN = "workplan.archive"
PRODID = "-//Workplan//archive//EN"
SessionZones = dict[tuple[str, str], str]


@dataclass(frozen=True)
class FeedStyle:
    """What every feed of this archive shares (from its settings)."""

    console_base_url: str
    refresh: timedelta
    default_zone: str
    """For meetings of sessions the archive knows no hearing (hence no zone) of."""


def render(
    name: str,
    hearings: Sequence[Row],
    meetings: Sequence[Row],
    zones: SessionZones,
    style: FeedStyle,
) -> bytes:
    entries: list[Event] = []
    used: Counter[str] = Counter()
    for row in hearings:
        zone = _zone(row["state"].get("timezone"), style.default_zone)
        entries.append(_hearing(row, zone, style))
        used[zone.key] += 1
    for row in meetings:
        known = zones.get((row["committee"], row["session"]))
        zone = _zone(known, style.default_zone)
        entries.append(_meeting(row, zone, style))
        used[zone.key] += 1
    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("name", name)
    feed.add("x-wr-calname", name)
    main_zone = used.most_common(1)[0][0] if used else style.default_zone
    feed.add("x-wr-timezone", main_zone)
    feed.add("refresh-interval", style.refresh, parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", vDuration(style.refresh))
    for entry in entries:
        feed.add_component(entry)
    missing = sorted(feed.get_missing_tzids())
    if missing:
        first, last = _years(entries)
        feed.subcomponents[:0] = [_vtimezone(name, first, last) for name in missing]
    return bytes(feed.to_ical())


def _hearing(row: Row, zone: ZoneInfo, style: FeedStyle) -> Event:
    state: dict[str, Any] = row["state"]
    starts: datetime = row["date"]
    ends = _moment(state.get("ends_at")) or starts + MEETING_LENGTH
    event = Event()
    event.add("uid", f"hearing-{row['key']}@{UID_DOMAIN}")
    event.add("dtstamp", row["updated_at"])
    event.add("last-modified", row["updated_at"])
    event.add("sequence", row["version"])
    event.add("dtstart", starts.astimezone(zone))
    event.add("dtend", ends.astimezone(zone))
    event.add("summary", _title(state))
    if state.get("location"):
        event.add("location", state["location"])
    cancelled = row["status"] == "cancelled"
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    url = f"{style.console_base_url.rstrip('/')}/hearings/{row['key']}"
    event.add("url", url)
    lines = [f"Cancelled: {state['reason']}"] if cancelled and state.get("reason") else []
    event.add("description", "\n".join([*lines, url]))
    event.add("categories", ["hearing", row["committee"] or "committee"])
    return event


def _meeting(row: Row, zone: ZoneInfo, style: FeedStyle) -> Event:
    state: dict[str, Any] = row["state"]
    held: datetime = row["date"]
    event = Event()
    stable = uuid.uuid5(uuid.NAMESPACE_URL, f"{row['source']}/{row['key']}")
    event.add("uid", f"meeting-{stable}@{UID_DOMAIN}")
    event.add("dtstamp", row["updated_at"])
    event.add("last-modified", row["updated_at"])
    event.add("sequence", row["version"])
    event.add("dtstart", held.astimezone(zone))
    event.add("dtend", (held + MEETING_LENGTH).astimezone(zone))
    event.add("summary", _title(state) or f"Meeting with {', '.join(row['organizations'])}")
    if state.get("location"):
        event.add("location", state["location"])
    event.add("status", "CONFIRMED")
    lines = []
    summary = state.get("summary") or {}
    if isinstance(summary, dict) and summary:
        lines.append(str(summary.get("en") or next(iter(summary.values()))))
    if row.get("item_id"):
        url = f"{style.console_base_url.rstrip('/')}/items/{row['item_id']}"
        event.add("url", url)
        lines.append(url)
    if lines:
        event.add("description", "\n".join(lines))
    event.add("categories", ["meeting", *row["organizations"]])
    return event


def _zone(name: object, default: str) -> ZoneInfo:
    for candidate in (name, default):
        if isinstance(candidate, str):
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def _years(entries: Sequence[Event]) -> tuple[int, int]:
    years = [entry.decoded("dtstart").year for entry in entries]
    return min(years), max(years)


@functools.lru_cache(maxsize=256)
def _vtimezone(name: str, first_year: int, last_year: int) -> Timezone:
    """The zone's rules from a year before the first entry to a year after the last
    (building one costs milliseconds, so each is kept)."""
    return Timezone.from_tzid(
        name, first_date=date(first_year - 1, 1, 1), last_date=date(last_year + 1, 12, 31)
    )


def _title(state: dict[str, Any]) -> str:
    title = state.get("title") or {}
    if not isinstance(title, dict) or not title:
        return ""
    return str(title.get("en") or title.get("az") or next(iter(title.values())))


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None
