"""iCalendar (RFC 5545/5546) invitations and cancellations, built with ``icalendar``."""

from __future__ import annotations

from datetime import UTC

import icalendar

from services.notifier.domain.messages import CalendarInvite

PRODID = "-//Workplan//Notifier//EN"


def ics(invite: CalendarInvite) -> str:
    """A VCALENDAR with ``METHOD`` and one VEVENT; times in UTC."""
    return with_attendee(ics_for_everyone(invite), invite.attendee_email, invite.attendee_name)


def with_attendee(calendar: str, email: str, name: str) -> str:
    """The calendar of :func:`ics_for_everyone` with the recipient as its attendee."""
    event = icalendar.Event()
    attendee = icalendar.vCalAddress(f"mailto:{email}")
    attendee.params["cn"] = icalendar.vText(name)
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = icalendar.vText("NEEDS-ACTION")
    attendee.params["rsvp"] = icalendar.vText("FALSE")
    event.add("attendee", attendee)
    line = event.to_ical().decode().removeprefix("BEGIN:VEVENT\r\n").removesuffix("END:VEVENT\r\n")
    head, tail = calendar.rsplit("END:VEVENT\r\n", 1)
    return f"{head}{line}END:VEVENT\r\n{tail}"


def ics_for_everyone(invite: CalendarInvite) -> str:
    """The calendar without its attendee: the same for every recipient of one wording."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", invite.method)
    event = icalendar.Event()
    event.add("uid", invite.uid)
    event.add("sequence", invite.sequence)
    event.add("dtstamp", invite.stamp.astimezone(UTC))
    event.add("dtstart", invite.starts_at.astimezone(UTC))
    event.add("dtend", invite.ends_at.astimezone(UTC))
    event.add("summary", invite.summary)
    if invite.location:
        event.add("location", invite.location)
    event.add("description", invite.description)
    event.add("url", invite.url)
    event.add("status", invite.status)
    event.add("transp", "OPAQUE")
    organizer = icalendar.vCalAddress(f"mailto:{invite.organizer_email}")
    organizer.params["cn"] = icalendar.vText(invite.organizer_name)
    event.add("organizer", organizer)
    calendar.add_component(event)
    return str(calendar.to_ical().decode())
