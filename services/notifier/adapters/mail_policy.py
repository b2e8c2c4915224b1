"""How notification e-mails are serialised: ``policy.SMTP`` (CRLF, headers folded at 78
characters), except for the ``List-Unsubscribe`` headers, which are never folded.

Folding a header that has no whitespace, as a long unsubscribe URL has none, makes the
``email`` package write it as RFC 2047 encoded-words (``=?utf-8?q?=3Chttps…?=``): still a
valid header, but no longer the ``<https://…>`` that RFC 2369 describes, and mail
providers then offer no one-click unsubscribe (RFC 8058). Those headers are written on one
line of at most 998 characters, the limit of RFC 5322.
"""

from __future__ import annotations

from email import policy
from email.policy import EmailPolicy
from typing import Any

UNFOLDED = frozenset({"list-unsubscribe", "list-unsubscribe-post"})
_ONE_LINE = policy.SMTP.clone(max_line_length=998)


class NotificationMailPolicy(EmailPolicy):
    def fold(self, name: str, value: Any) -> str:
        folded: str = (
            _ONE_LINE.fold(name, value) if name.lower() in UNFOLDED else super().fold(name, value)
        )
        return folded

    def fold_binary(self, name: str, value: Any) -> bytes:
        if name.lower() in UNFOLDED:
            return _ONE_LINE.fold_binary(name, value)
        return super().fold_binary(name, value)


MAIL_POLICY = NotificationMailPolicy(linesep="\r\n")
"""``policy.SMTP`` with the unsubscribe headers kept on one line."""
