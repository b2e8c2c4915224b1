"""Caught mail kept as ``.eml`` files in a folder: one file a message, exactly the bytes
the SMTP client sent, named so that they sort by arrival."""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

SUFFIX = ".eml"


class MailNotFound(LookupError):
    """No caught message has that id (or the id is ambiguous)."""


@dataclass(frozen=True)
class CaughtMail:
    id: str
    path: Path
    received_at: datetime
    sender: str
    recipients: str
    subject: str
    size: int

    def raw(self) -> bytes:
        return self.path.read_bytes()

    def message(self) -> EmailMessage:
        return BytesParser(policy=policy.default).parsebytes(self.raw())


class MailFolder:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._counter = itertools.count(1)

    def save(self, raw: bytes) -> Path:
        """Write a message atomically (a reader never sees half of one); returns its path."""
        self.path.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC)
        name = (
            f"{now:%Y%m%dT%H%M%S}{now.microsecond // 1000:03d}Z-"
            f"{next(self._counter):04d}-{secrets.token_hex(3)}"
        )
        final = self.path / f"{name}{SUFFIX}"
        partial = self.path / f".{name}.partial"
        partial.write_bytes(raw)
        partial.replace(final)
        return final

    def list(self) -> list[CaughtMail]:
        """Every caught message, newest first."""
        if not self.path.is_dir():
            return []
        files = sorted(self.path.glob(f"*{SUFFIX}"), reverse=True)
        return [_caught(path) for path in files]

    def find(self, wanted: str | None = None) -> CaughtMail:
        """The message with that id (or a unique start of it); the newest when ``None``."""
        caught = self.list()
        if not caught:
            raise MailNotFound(f"no mail caught yet in {self.path}")
        if wanted is None:
            return caught[0]
        matches = [mail for mail in caught if mail.id == wanted] or [
            mail for mail in caught if mail.id.startswith(wanted)
        ]
        if len(matches) != 1:
            how = "matches several messages" if matches else "matches no message"
            raise MailNotFound(f"{wanted!r} {how} in {self.path}")
        return matches[0]


def _caught(path: Path) -> CaughtMail:
    with path.open("rb") as handle:
        headers = BytesParser(policy=policy.default).parse(handle, headersonly=True)
    stamp = path.stem.split("-", 1)[0]
    try:
        received = datetime.strptime(stamp[:15], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        received = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return CaughtMail(
        id=path.stem,
        path=path,
        received_at=received,
        sender=str(headers.get("From", "")),
        recipients=str(headers.get("To", "")),
        subject=str(headers.get("Subject", "")),
        size=path.stat().st_size,
    )
