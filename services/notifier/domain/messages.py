"""What one recipient is told about a notice: localized facts, a calendar entry, a payload.

Restricted notices carry nothing but their kind, ids and a link: no title, no times, no
place, no calendar entry, in every channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from services.notifier.domain.notices import Notice
from services.notifier.domain.recipients import Recipient
from services.notifier.domain.wording import (
    FIELD_WORDS,
    STATUS_WORDS,
    format_moment,
    format_span_for,
    localized,
    word,
)


@dataclass(frozen=True)
class NoticeText:
    """The facts of a notice in the recipient's language, with times in the session's zone
    (and the recipient's when it differs), ready for templates."""

    kind: str
    family: str
    language: str
    restricted: bool
    link: str
    title: str = ""
    committee: str | None = None
    when: str | None = None
    previous_when: str | None = None
    where: str | None = None
    previous_where: str | None = None
    reason: str | None = None
    status: str | None = None
    previous_status: str | None = None
    changed: tuple[str, ...] = ()
    summary: str | None = None
    organizations: str | None = None


def link_of(notice: Notice, base_url: str) -> str:
    base = base_url.rstrip("/")
    if notice.hearing is not None:
        return f"{base}/hearings/{notice.hearing.hearing_id}"
    if notice.meeting is not None:
        return f"{base}/meetings/{notice.meeting.meeting_id}"
    if notice.item_id is not None:
        return f"{base}/items/{notice.item_id}"
    return f"{base}/"


def describe(notice: Notice, recipient: Recipient, link: str) -> NoticeText:
    language = recipient.language
    if notice.restricted:
        return NoticeText(
            kind=notice.kind, family=notice.family, language=language, restricted=True, link=link
        )
    zone = recipient.zone
    text = NoticeText(
        kind=notice.kind,
        family=notice.family,
        language=language,
        restricted=False,
        link=link,
        title=localized(notice.title, language),
        committee=notice.committee,
        organizations=", ".join(notice.organizations) or None,
    )
    if (hearing := notice.hearing) is not None:
        session = _zone(hearing.timezone, zone)
        previous_when = (
            format_span_for(
                hearing.previous_starts_at, hearing.previous_ends_at, session, zone, language
            )
            if hearing.previous_starts_at and hearing.previous_ends_at
            else None
        )
        return _with(
            text,
            when=format_span_for(hearing.starts_at, hearing.ends_at, session, zone, language),
            previous_when=previous_when,
            where=hearing.location,
            previous_where=hearing.previous_location,
            reason=hearing.reason,
        )
    if (item := notice.item) is not None:
        return _with(
            text,
            status=word(STATUS_WORDS, language, item.status),
            previous_status=(
                word(STATUS_WORDS, language, item.previous_status) if item.previous_status else None
            ),
            reason=item.reason,
            changed=tuple(word(FIELD_WORDS, language, name) for name in item.changed),
        )
    if (meeting := notice.meeting) is not None:
        return _with(
            text,
            when=f"{format_moment(meeting.held_at, zone, language)} ({zone.key})",
            where=meeting.location,
            summary=localized(meeting.summary, language) or None,
        )
    return text


def _zone(name: str, otherwise: ZoneInfo) -> ZoneInfo:
    """The session's zone as the event names it; the reader's if this machine lacks it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return otherwise


def _with(text: NoticeText, **changes: Any) -> NoticeText:
    return NoticeText(**{**text.__dict__, **changes})


@dataclass(frozen=True)
class CalendarInvite:
    """An iCalendar entry for a hearing: one UID per hearing, SEQUENCE rising with each change."""

    uid: str
    sequence: int
    method: Literal["REQUEST", "CANCEL"]
    status: Literal["CONFIRMED", "CANCELLED"]
    starts_at: datetime
    ends_at: datetime
    stamp: datetime
    summary: str
    location: str | None
    description: str
    url: str
    organizer_email: str
    organizer_name: str
    attendee_email: str
    attendee_name: str


def calendar_invite(
    notice: Notice, text: NoticeText, recipient: Recipient, *, organizer: tuple[str, str]
) -> CalendarInvite | None:
    """The invitation (or cancellation) a hearing event carries; none when restricted or held."""
    hearing = notice.hearing
    if hearing is None or notice.restricted or notice.kind == "hearing.held":
        return None
    cancelled = notice.kind == "hearing.cancelled"
    organizer_email, organizer_name = organizer
    return CalendarInvite(
        uid=f"hearing-{hearing.hearing_id}@workplan",
        sequence=notice.sequence or 0,
        method="CANCEL" if cancelled else "REQUEST",
        status="CANCELLED" if cancelled else "CONFIRMED",
        starts_at=hearing.starts_at,
        ends_at=hearing.ends_at,
        stamp=notice.occurred_at,
        summary=text.title,
        location=hearing.location,
        description=text.link,
        url=text.link,
        organizer_email=organizer_email,
        organizer_name=organizer_name,
        attendee_email=recipient.email,
        attendee_name=recipient.name,
    )


def webhook_payload(event: dict[str, Any], notice: Notice, link: str) -> dict[str, Any]:
    """The structured CloudEvent as received; for a restricted notice only its ids and a link."""
    if not notice.restricted:
        return event
    kept = ("specversion", "id", "source", "type", "subject", "time", "sequence")
    reduced = {name: event[name] for name in kept if name in event}
    data: dict[str, Any] = {"classification": "restricted", "link": link}
    if notice.hearing is not None:
        data["hearing_id"] = str(notice.hearing.hearing_id)
    if notice.item_id is not None:
        data["item_id"] = str(notice.item_id)
    if notice.meeting is not None:
        data["meeting_id"] = notice.meeting.meeting_id
    return {**reduced, "datacontenttype": "application/json", "data": data}
