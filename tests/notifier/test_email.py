"""E-mail: calendar invitations that move and cancel the same entry, in the reader's language."""

from __future__ import annotations

import re
from typing import Any

import icalendar

from tests.notifier.scenario import Hearing, add_recipient, publish, settled, subscribe
from tests.support import eventually


async def _mails(smtp_server: Any, count: int, timeout: float = 15.0) -> list[Any]:
    async def enough() -> bool:
        return len(smtp_server.messages) >= count

    await eventually(enough, timeout=timeout)
    return list(smtp_server.messages)


def calendar_of(message) -> icalendar.Calendar:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return icalendar.Calendar.from_ical(part.get_content())


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


async def test_schedule_reschedule_cancel_move_and_remove_one_calendar_entry(
    client, admin, notifier, publisher, events_topology, smtp_server
):
    recipient = await add_recipient(client, admin, language="en", timezone="Europe/London")
    await subscribe(client, admin, recipient["id"], event_type="workplan.hearing.*")
    hearing = Hearing()

    await publish(publisher, events_topology, hearing.scheduled())
    [scheduled] = await _mails(smtp_server, 1)
    await publish(
        publisher,
        events_topology,
        hearing.rescheduled("2026-03-19T15:00:00+04:00", "2026-03-19T17:00:00+04:00", "Hall 5"),
    )
    await _mails(smtp_server, 2)
    await publish(publisher, events_topology, hearing.cancelled())
    mails = await _mails(smtp_server, 3)
    await settled(notifier, 3)

    first, moved, cancelled = (mail.message for mail in mails)
    invites = [calendar_of(message) for message in (first, moved, cancelled)]
    events: list[Any] = [calendar.events[0] for calendar in invites]
    assert [str(c["METHOD"]) for c in invites] == ["REQUEST", "REQUEST", "CANCEL"]
    assert {str(e["UID"]) for e in events} == {f"hearing-{hearing.id}@workplan"}
    assert [int(e["SEQUENCE"]) for e in events] == [1, 2, 3]
    assert str(events[2]["STATUS"]) == "CANCELLED"
    assert events[0]["DTSTART"].dt.isoformat() == "2026-03-12T07:00:00+00:00"
    assert events[1]["DTSTART"].dt.isoformat() == "2026-03-19T11:00:00+00:00"
    assert str(events[1]["LOCATION"]) == "Hall 5"
    assert "mailto:" + recipient["email"] in str(events[0]["ATTENDEE"])
    [part] = [p for p in first.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"

    assert scheduled.rcpt_tos == [recipient["email"]]
    assert first["Subject"].startswith("Hearing scheduled: Hearing on the Justice for Khojaly")
    assert first["Message-ID"].endswith("@workplan.test>")
    # The reschedule says what changed, in the session's zone, then the recipient's
    # (London: UTC+0 in March).
    body = text_of(moved)
    assert (
        "Was: 12 March 2026, 11:00–13:00 (Asia/Baku); 12 March 2026, 07:00–09:00 "
        "(Europe/London), Milli Məclis, Hall 2"
    ) in body
    assert (
        "Now: 19 March 2026, 15:00–17:00 (Asia/Baku); 19 March 2026, 11:00–13:00 "
        "(Europe/London), Hall 5"
    ) in body
    assert "Reason: The minister is travelling" in body
    assert "19 March 2026, 11:00–13:00" in html_of(moved)
    assert "Hearing cancelled" in cancelled["Subject"]
    assert "The delegation could not come" in text_of(cancelled)


async def test_one_click_unsubscribe_headers_and_a_plain_and_html_body(
    client, admin, notifier, publisher, events_topology, smtp_server
):
    recipient = await add_recipient(client, admin)
    await subscribe(client, admin, recipient["id"])
    await publish(publisher, events_topology, Hearing().scheduled())
    [mail] = await _mails(smtp_server, 1)
    message = mail.message

    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message["List-Unsubscribe"].strip("<>")
    assert url.startswith("https://notifier.workplan.test/unsubscribe?token=")
    assert message.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in message.iter_parts()]
    assert kinds == ["text/plain", "text/html", "text/calendar"]
    assert url in text_of(message)


def raw_header(data: bytes, name: str) -> bytes:
    """A header exactly as it came over SMTP: its first line and any folded lines."""
    head = data.split(b"\r\n\r\n", 1)[0]
    lines = head.split(b"\r\n")
    for index, line in enumerate(lines):
        if line.lower().startswith(name.lower().encode() + b":"):
            folded = [line]
            for following in lines[index + 1 :]:
                if not following[:1].isspace():
                    break
                folded.append(following)
            return b"\r\n".join(folded)
    raise AssertionError(f"no {name} header in {head!r}")


async def test_list_unsubscribe_is_an_rfc_2369_url_on_the_wire_with_one_click_post(
    client, admin, notifier, publisher, events_topology, smtp_server
):
    """The bytes the SMTP server received: ``<https://…>`` on one line, not RFC 2047
    encoded-words (which ``policy.SMTP`` made of the long URL), and RFC 8058's POST header."""
    recipient = await add_recipient(client, admin)
    await subscribe(client, admin, recipient["id"])
    await publish(publisher, events_topology, Hearing().scheduled())
    [mail] = await _mails(smtp_server, 1)

    unsubscribe = raw_header(mail.data, "List-Unsubscribe")
    one_click = raw_header(mail.data, "List-Unsubscribe-Post")

    assert b"=?" not in unsubscribe
    assert b"\r\n" not in unsubscribe  # one line, never folded
    assert re.fullmatch(rb"List-Unsubscribe: <https://[!-~]+>", unsubscribe), unsubscribe
    url = unsubscribe.removeprefix(b"List-Unsubscribe: <").removesuffix(b">").decode()
    assert url.startswith("https://notifier.workplan.test/unsubscribe?token=s.")
    assert len(unsubscribe) <= 998
    assert one_click == b"List-Unsubscribe-Post: List-Unsubscribe=One-Click"
    clicked = await client.post(url.removeprefix("https://notifier.workplan.test"))
    assert clicked.status_code == 200, clicked.text


async def test_messages_in_azerbaijani_english_and_russian_with_local_month_names(
    client, admin, notifier, publisher, events_topology, smtp_server
):
    people = {}
    for language, zone in (
        ("az", "Asia/Baku"),
        ("en", "America/New_York"),
        ("ru", "Europe/Moscow"),
    ):
        recipient = await add_recipient(client, admin, language=language, timezone=zone)
        await subscribe(client, admin, recipient["id"])
        people[recipient["email"]] = language
    await publish(publisher, events_topology, Hearing().scheduled())
    mails = await _mails(smtp_server, 3)

    by_language = {people[mail.rcpt_tos[0]]: mail.message for mail in mails}
    az, en, ru = by_language["az"], by_language["en"], by_language["ru"]
    assert az["Subject"] == (
        "Dinləmə təyin edildi: Xocalıya ədalət kampaniyası üzrə dinləmə, "
        "12 mart 2026, 11:00–13:00 (Asia/Baku)"
    )
    assert "Vaxt: 12 mart 2026, 11:00–13:00 (Asia/Baku)" in text_of(az)
    assert az["Content-Language"] == "az"
    assert (
        "12 March 2026, 11:00–13:00 (Asia/Baku); 12 March 2026, 03:00–05:00 (America/New_York)"
        in en["Subject"]
    )
    assert (
        "When: 12 March 2026, 11:00–13:00 (Asia/Baku); 12 March 2026, 03:00–05:00 "
        "(America/New_York)"
    ) in text_of(en)
    assert ru["Subject"].startswith("Назначено слушание: Слушание по кампании")
    assert (
        "Когда: 12 марта 2026, 11:00–13:00 (Asia/Baku); 12 марта 2026, 10:00–12:00 (Europe/Moscow)"
        in text_of(ru)
    )
    assert "Где: Milli Məclis, Hall 2" in text_of(ru)
    assert "Открыть в Workplan" in html_of(ru)


async def test_a_title_missing_in_the_readers_language_falls_back_to_english_then_any(
    client, admin, notifier, publisher, events_topology, smtp_server
):
    ru = await add_recipient(client, admin, language="ru")
    await subscribe(client, admin, ru["id"])
    await publish(
        publisher, events_topology, Hearing(title={"az": "Yalnız azərbaycanca"}).scheduled()
    )
    await publish(
        publisher, events_topology, Hearing(title={"en": "English only", "az": "Az"}).scheduled()
    )
    mails = await _mails(smtp_server, 2)
    subjects = sorted(mail.message["Subject"] for mail in mails)
    assert any("Yalnız azərbaycanca" in subject for subject in subjects)
    assert any("English only" in subject for subject in subjects)


async def test_html_is_escaped_and_text_is_not(
    client, admin, notifier, publisher, events_topology, smtp_server
):
    recipient = await add_recipient(client, admin)
    await subscribe(client, admin, recipient["id"])
    await publish(
        publisher,
        events_topology,
        Hearing(title={"en": "<script>alert(1)</script> & co"}).scheduled(),
    )
    [mail] = await _mails(smtp_server, 1)
    html = html_of(mail.message)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "<script>alert(1)</script> & co" in text_of(mail.message)
