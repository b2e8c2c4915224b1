"""The mail the local mail catcher kept (``workplan up`` without an SMTP server): read from
its folder of ``.eml`` files, for administrators."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from shared.runtime.mail_folder import CaughtMail, MailFolder, MailNotFound

SHOWN = 200
"""Messages listed at most (newest first)."""


@dataclass(frozen=True)
class MailText:
    mail: CaughtMail
    headers: list[tuple[str, str]]
    text: str
    parts: list[str]


class CaughtMailbox:
    def __init__(self, folder: Path) -> None:
        self._folder = MailFolder(folder)

    @property
    def path(self) -> Path:
        return self._folder.path

    def newest(self) -> tuple[list[CaughtMail], int]:
        caught = self._folder.list()
        return caught[:SHOWN], len(caught)

    def read(self, mail_id: str) -> MailText | None:
        """The message's headers, its plain text and its parts' types (``None``: no such)."""
        if not mail_id or "/" in mail_id or mail_id.startswith("."):
            return None
        try:
            mail = self._folder.find(mail_id)
        except MailNotFound:
            return None
        if mail.id != mail_id:
            return None
        message = mail.message()
        return MailText(
            mail=mail,
            headers=[(name, str(value)) for name, value in message.items()],
            text=_plain_text(message),
            parts=[part.get_content_type() for part in message.walk()],
        )


def _plain_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    if body is None:
        return ""
    content = body.get_content()
    return str(content)
