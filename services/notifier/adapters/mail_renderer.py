"""Notices as e-mails (text + HTML from Jinja2 templates per language, an iCalendar part),
inbox texts and digest entries.

Templates live in ``templates/``: ``<language>/words.txt`` holds a language's wording
(subject and lead sentence of each kind of notice, labels, footers); ``notice.txt``,
``notice.html``, ``digest.txt`` and ``digest.html`` lay it out. The wording is rendered
first, as plain text, and handed to the layouts; HTML layouts autoescape every value.

A notice e-mail is rendered once per wording (event, language, time zone, mandatory or
not) and calendar entry: the layouts with a stand-in for the unsubscribe link, the
calendar without its attendee. Each recipient's message then only swaps in their link and
attendee line and writes their headers (``mime.py``), so an event sent to many people
costs little more than one sent to one.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import escape

from services.notifier.adapters import mime
from services.notifier.adapters.calendar_invites import ics_for_everyone, with_attendee
from services.notifier.adapters.mail_policy import MAIL_POLICY
from services.notifier.adapters.unsubscribe_tokens import UnsubscribeTokens
from services.notifier.domain.digests import DigestEntry
from services.notifier.domain.messages import CalendarInvite, NoticeText
from services.notifier.domain.recipients import LANGUAGES, Recipient
from services.notifier.domain.wording import format_day
from services.notifier.handlers.ports import UnsubscribeScope

TEMPLATES = Path(__file__).resolve().parent / "templates"
UNSUBSCRIBE_STAND_IN = "https://unsubscribe.invalid/stand-in"
"""Rendered where the unsubscribe link goes, replaced by each recipient's own link."""
_CACHED = 512
"""Renderings kept (each a few kB): the wordings of the events being handled now."""


@dataclass(frozen=True)
class _Notice:
    """A notice's e-mail as far as it is the same for every recipient of its wording."""

    subject: str
    language: str
    text: str
    html: str


class JinjaNoticeRenderer:
    def __init__(
        self,
        *,
        mail_from: str,
        mail_from_name: str,
        public_base_url: str,
        tokens: UnsubscribeTokens,
    ) -> None:
        self._sender = Address(display_name=mail_from_name, addr_spec=mail_from)
        self._from = mime.address(mail_from_name, mail_from)
        self._domain = mail_from.rsplit("@", 1)[1]
        self._unsubscribe_base = public_base_url.rstrip("/") + "/unsubscribe?token="
        self._tokens = tokens
        self._env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
        )
        self._notices: dict[tuple[NoticeText, bool], _Notice] = {}
        self._calendars: dict[CalendarInvite, str] = {}

    def message_id(self, delivery_id: uuid.UUID) -> str:
        """Stable per delivery, so a resend after an unclear failure is recognisably the same."""
        return f"<{delivery_id}@{self._domain}>"

    def unsubscribe_url(self, scope: UnsubscribeScope) -> str:
        return self._unsubscribe_base + self._tokens.issue(scope)

    def email(
        self,
        text: NoticeText,
        recipient: Recipient,
        *,
        message_id: str,
        unsubscribe: UnsubscribeScope,
        mandatory: bool,
        invite: CalendarInvite | None,
    ) -> bytes:
        url = self.unsubscribe_url(unsubscribe)
        notice = self._notice(text, mandatory)
        parts = [
            mime.text_part(
                "text/plain", mime.quoted_printable(notice.text.replace(UNSUBSCRIBE_STAND_IN, url))
            ),
            mime.text_part(
                "text/html",
                mime.quoted_printable(notice.html.replace(UNSUBSCRIBE_STAND_IN, str(escape(url)))),
            ),
        ]
        if invite is not None:
            parts.append(self._calendar_part(invite, recipient))
        headers = [
            ("Subject", mime.header_value(notice.subject)),
            ("From", self._from),
            ("To", mime.address(recipient.name, recipient.email)),
            ("Date", format_datetime(datetime.now(UTC))),
            ("Message-ID", message_id),
            ("Auto-Submitted", "auto-generated"),
            ("List-Unsubscribe", f"<{url}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("Content-Language", notice.language),
        ]
        return mime.message(headers, parts)

    def _notice(self, text: NoticeText, mandatory: bool) -> _Notice:
        key = (text, mandatory)
        found = self._notices.get(key)
        if found is None:
            context = self._notice_context(
                text, unsubscribe_url=UNSUBSCRIBE_STAND_IN, mandatory=mandatory
            )
            found = _Notice(
                subject=context["subject"],
                language=context["language"],
                text=self._env.get_template("notice.txt").render(context),
                html=self._env.get_template("notice.html").render(context),
            )
            _keep(self._notices, key, found)
        return found

    def _calendar_part(self, invite: CalendarInvite, recipient: Recipient) -> bytes:
        everyone = replace(invite, attendee_email="", attendee_name="")
        calendar = self._calendars.get(everyone)
        if calendar is None:
            calendar = ics_for_everyone(everyone)
            _keep(self._calendars, everyone, calendar)
        own = with_attendee(calendar, recipient.email, recipient.name)
        return mime.text_part(
            "text/calendar", mime.quoted_printable(own), params=f'; method="{invite.method}"'
        )

    def inbox(self, text: NoticeText) -> tuple[str, str]:
        context = self._notice_context(text, unsubscribe_url=None, mandatory=False)
        return context["subject"], self._env.get_template("notice.txt").render(context).strip()

    def digest_entry(self, text: NoticeText) -> tuple[str, str]:
        return self.inbox(text)

    def digest_email(
        self,
        recipient: Recipient,
        day: date,
        entries: Sequence[DigestEntry],
        *,
        message_id: str,
    ) -> bytes:
        language = _supported(recipient.language)
        words = self._words(language)
        day_words = format_day(day, language)
        subject = str(words.digest_subject(day_words, len(entries))).strip()
        url = self.unsubscribe_url(("digests", recipient.id))
        context = {
            "language": language,
            "subject": subject,
            "lead": str(words.digest_lead(day_words)),
            "footer": str(words.digest_footer()),
            "entries": entries,
            "labels": words.labels,
            "unsubscribe_url": url,
        }
        message = self._message(
            recipient,
            subject=subject,
            language=language,
            text=self._env.get_template("digest.txt").render(context),
            html=self._env.get_template("digest.html").render(context),
            message_id=message_id,
            unsubscribe_url=url,
        )
        return message.as_bytes(policy=MAIL_POLICY)

    def _notice_context(
        self, text: NoticeText, *, unsubscribe_url: str | None, mandatory: bool
    ) -> dict[str, Any]:
        language = _supported(text.language)
        words = self._words(language)
        labels: dict[str, str] = words.labels
        # Wording is rendered here, as plain text, so the HTML layout escapes it like any value.
        return {
            "language": language,
            "n": text,
            "subject": " ".join(str(words.subject(text)).split()),
            "lead": str(words.lead(text)),
            "footer": str(words.footer(mandatory)),
            "rows": fact_rows(text, labels),
            "labels": labels,
            "unsubscribe_url": unsubscribe_url,
        }

    def _words(self, language: str) -> Any:
        return self._env.get_template(f"{language}/words.txt").module

    def _message(
        self,
        recipient: Recipient,
        *,
        subject: str,
        language: str,
        text: str,
        html: str,
        message_id: str,
        unsubscribe_url: str,
    ) -> EmailMessage:
        message = EmailMessage(policy=MAIL_POLICY)
        message["Subject"] = subject
        message["From"] = self._sender
        message["To"] = Address(display_name=recipient.name, addr_spec=recipient.email)
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Message-ID"] = message_id
        message["Auto-Submitted"] = "auto-generated"
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(text, cte="quoted-printable")
        message.add_alternative(html, subtype="html", cte="quoted-printable")
        message["Content-Language"] = language  # after the parts: set_content drops Content-*
        return message


def _keep(cache: dict[Any, Any], key: Any, value: Any) -> None:
    if len(cache) >= _CACHED:
        cache.clear()
    cache[key] = value


def fact_rows(text: NoticeText, labels: dict[str, str]) -> list[tuple[str, str]]:
    """The facts of a notice as (label, value) lines; none for a restricted one."""
    if text.restricted:
        return []
    rows: list[tuple[str, str]] = []
    if text.kind == "hearing.rescheduled":
        rows.append((labels["was"], _joined(text.previous_when, text.previous_where)))
        rows.append((labels["now"], _joined(text.when, text.where)))
    else:
        if text.when:
            rows.append((labels["when"], text.when))
        if text.where:
            rows.append((labels["where"], text.where))
    if text.status:
        status = f"{text.previous_status} → {text.status}" if text.previous_status else text.status
        rows.append((labels["status"], status))
    if text.changed:
        rows.append((labels["changed"], ", ".join(text.changed)))
    if text.reason:
        rows.append((labels["reason"], text.reason))
    if text.summary:
        rows.append((labels["summary"], text.summary))
    if text.committee:
        rows.append((labels["committee"], text.committee))
    if text.organizations:
        rows.append((labels["counterparts"], text.organizations))
    return rows


def _joined(*parts: str | None) -> str:
    return ", ".join(part for part in parts if part)


def _supported(language: str) -> str:
    return language if language in LANGUAGES else "en"
