"""Notice e-mails written as bytes: what a mail program reads back, byte for byte."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser

import icalendar

from services.notifier.adapters.mail_renderer import UNSUBSCRIBE_STAND_IN, JinjaNoticeRenderer
from services.notifier.adapters.unsubscribe_tokens import UnsubscribeTokens
from services.notifier.domain.messages import CalendarInvite, NoticeText
from services.notifier.domain.recipients import Recipient

TITLE = "Xocalıya ədalət kampaniyası üzrə dinləmə — " + "uzun başlıq " * 12


def _renderer() -> JinjaNoticeRenderer:
    return JinjaNoticeRenderer(
        mail_from="notices@workplan.test",
        mail_from_name="Workplan, Milli Məclis",
        public_base_url="https://notifier.workplan.test",
        tokens=UnsubscribeTokens("a secret of the tests"),
    )


def _text() -> NoticeText:
    return NoticeText(
        kind="hearing.scheduled",
        family="hearing",
        language="az",
        restricted=False,
        link="https://workplan.test/api/v1/hearings/1",
        title=TITLE,
        when="12 mart 2026, 11:00–13:00 (Asia/Baku)",
        where="Milli Məclis, Zal 2",
    )


def _invite(recipient: Recipient) -> CalendarInvite:
    at = datetime(2026, 3, 12, 7, tzinfo=UTC)
    return CalendarInvite(
        uid="hearing-1@workplan",
        sequence=1,
        method="REQUEST",
        status="CONFIRMED",
        starts_at=at,
        ends_at=at.replace(hour=9),
        stamp=at,
        summary=TITLE,
        location="Milli Məclis, Zal 2",
        description="https://workplan.test/api/v1/hearings/1",
        url="https://workplan.test/api/v1/hearings/1",
        organizer_email="notices@workplan.test",
        organizer_name="Workplan",
        attendee_email=recipient.email,
        attendee_name=recipient.name,
    )


def _email(renderer: JinjaNoticeRenderer, recipient: Recipient) -> bytes:
    return renderer.email(
        _text(),
        recipient,
        message_id=renderer.message_id(uuid.uuid4()),
        unsubscribe=("subscription", recipient.id),
        mandatory=False,
        invite=_invite(recipient),
    )


def test_two_recipients_of_one_event_each_get_their_own_headers_link_and_attendee():
    renderer = _renderer()
    leyla = Recipient(name='Leyla "Lale" Həsənova', email="leyla@example.gov.az", language="az")
    john = Recipient(name="John Smith, MFA", email="john@example.gov.az", language="az")
    raw = {person.email: _email(renderer, person) for person in (leyla, john)}
    for person in (leyla, john):
        data = raw[person.email]
        message = BytesParser(policy=policy.default).parsebytes(data)
        assert message["To"].addresses[0].display_name == person.name
        assert message["To"].addresses[0].addr_spec == person.email
        assert message["Subject"].startswith("Dinləmə təyin edildi: Xocalıya ədalət")
        assert message["From"].addresses[0].display_name == "Workplan, Milli Məclis"
        assert message["Content-Language"] == "az"
        assert message.defects == []
        url = message["List-Unsubscribe"].strip("<>")
        # one line, never folded into encoded-words: mail programs call it as it is
        assert f"List-Unsubscribe: <{url}>\r\n".encode() in data
        assert url == renderer.unsubscribe_url(("subscription", person.id))
        plain_part = message.get_body(preferencelist=("plain",))
        html_part = message.get_body(preferencelist=("html",))
        assert plain_part is not None
        assert html_part is not None
        plain, html = plain_part.get_content(), html_part.get_content()
        assert url in plain
        assert url in html
        assert UNSUBSCRIBE_STAND_IN not in plain + html
        assert "Milli Məclis, Zal 2" in plain
        [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
        assert part.get_param("method") == "REQUEST"
        event = icalendar.Calendar.from_ical(part.get_content()).events[0]
        assert str(event["ATTENDEE"]) == f"mailto:{person.email}"
        assert event["ATTENDEE"].params["CN"] == person.name
        assert str(event["SUMMARY"]) == TITLE
        assert all(len(line) <= 998 for line in data.split(b"\r\n"))
        assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF only
    assert raw[leyla.email] != raw[john.email]
