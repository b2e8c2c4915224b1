"""Invitations written as iCalendar text: what a calendar program reads back is what was meant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import icalendar
import pytest

from services.notifier.adapters.calendar_invites import ics
from services.notifier.domain.messages import CalendarInvite

BAKU = timezone(timedelta(hours=4))


def invite(**overrides: object) -> CalendarInvite:
    fields: dict[str, object] = {
        "uid": "hearing-1@workplan",
        "sequence": 3,
        "method": "REQUEST",
        "status": "CONFIRMED",
        "starts_at": datetime(2026, 3, 12, 11, tzinfo=BAKU),
        "ends_at": datetime(2026, 3, 12, 13, tzinfo=BAKU),
        "stamp": datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        "summary": "Dinləmə: Xocalıya ədalət",
        "location": "Milli Məclis, Zal 2",
        "description": "https://workplan.test/api/v1/hearings/1",
        "url": "https://workplan.test/api/v1/hearings/1",
        "organizer_email": "notices@workplan.test",
        "organizer_name": "Workplan",
        "attendee_email": "leyla@example.gov.az",
        "attendee_name": "Leyla Həsənova",
        **overrides,
    }
    return CalendarInvite(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "commas, semicolons; a backslash \\ and a line\nbreak",
        "Xocalıya ədalət kampaniyası üzrə dinləmə — " + "uzun başlıq " * 20,
        "Международная кампания «Справедливость для Ходжалы» " * 4,
        "😀" * 40,
    ],
)
def test_texts_come_back_as_written_and_no_line_passes_75_octets(text):
    written = ics(invite(summary=text, description=text, location=text))

    event = icalendar.Calendar.from_ical(written).events[0]
    assert str(event["SUMMARY"]) == text
    assert str(event["DESCRIPTION"]) == text
    assert str(event["LOCATION"]) == text
    lines = written.split("\r\n")
    assert lines[-1] == ""  # every line ends with CRLF
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "\n" not in written.replace("\r\n", "")


@pytest.mark.parametrize(
    "name", ['Leyla "Lale" Həsənova', "Smith, John: MFA; Europe", "a ^ caret", "Ли Хан"]
)
def test_people_named_as_they_are(name):
    written = ics(invite(attendee_name=name, organizer_name=name))

    event = icalendar.Calendar.from_ical(written).events[0]
    assert event["ATTENDEE"].params["CN"] == name
    assert str(event["ATTENDEE"]) == "mailto:leyla@example.gov.az"
    assert event["ORGANIZER"].params["CN"] == name
    assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"


def test_times_in_utc_method_sequence_and_status():
    calendar = icalendar.Calendar.from_ical(
        ics(invite(method="CANCEL", status="CANCELLED", location=None))
    )

    event = calendar.events[0]
    assert str(calendar["METHOD"]) == "CANCEL"
    assert event.decoded("DTSTART") == datetime(2026, 3, 12, 7, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 3, 12, 9, tzinfo=UTC)
    assert event.decoded("DTSTAMP") == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert event.decoded("SEQUENCE") == 3
    assert str(event["STATUS"]) == "CANCELLED"
    assert "LOCATION" not in event
    assert str(event["UID"]) == "hearing-1@workplan"
