"""MIME messages written directly: a header block and ``multipart/alternative`` parts.

The standard ``email`` package builds a tree of objects, parses every header it is given
back into tokens, and folds and flattens it all again: ~10 ms of CPU for one notice with
its calendar part. Notices need little of that, so they are written here as bytes: header
values are ASCII, or RFC 2047 encoded-words (UTF-8, base64) where they are not; bodies
are quoted-printable (``binascii``, in C); lines end in CRLF. The parts of a notice are
encoded once per event and language; only the recipient's headers (and the parts that
carry their unsubscribe link or address) vary.

Tests parse the bytes back with the ``email`` package (``policy.default``).
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Sequence

_MAX_PLAIN = 900
"""Longer ASCII values are encoded too, so they fold within the 998-character line limit."""
_MAX_WORD_BYTES = 45
"""UTF-8 bytes per encoded-word: 60 base64 characters, 72 with the ``=?utf-8?b?…?=``."""


def header_value(value: str) -> str:
    """A header value as it may appear after ``Name: ``: ASCII as is, else encoded-words."""
    if "\r" in value or "\n" in value:
        raise ValueError("a header value must be one line")
    if value.isascii() and len(value) <= _MAX_PLAIN:
        return value
    return "\r\n ".join(_encoded_words(value))


def address(name: str, email: str) -> str:
    """``Display Name <addr@host>``, the name quoted or encoded as it needs."""
    if not name:
        return email
    if not name.isascii():
        return f"{header_value(name)} <{email}>"
    if any(char in name for char in '()<>@,;:\\".[]'):
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{quoted}" <{email}>'
    return f"{name} <{email}>"


def quoted_printable(text: str) -> bytes:
    """UTF-8 text as quoted-printable with CRLF line ends (lines ≤ 76 characters)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    encoded = binascii.b2a_qp(lines.encode("utf-8"), quotetabs=False, istext=True, header=False)
    return encoded.replace(b"\n", b"\r\n")


def text_part(content_type: str, body: bytes, *, params: str = "") -> bytes:
    """One part: its headers and a quoted-printable body (from :func:`quoted_printable`)."""
    head = f'Content-Type: {content_type}; charset="utf-8"{params}\r\n'
    return (head + "Content-Transfer-Encoding: quoted-printable\r\n\r\n").encode() + body


def message(headers: Sequence[tuple[str, str]], parts: Sequence[bytes]) -> bytes:
    """A ``multipart/alternative`` message of ``parts``, after ``headers`` (name, value)."""
    boundary = f"=_{uuid.uuid4().hex}"
    lines = [f"{name}: {value}" for name, value in headers]
    lines.append("MIME-Version: 1.0")
    lines.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
    head = ("\r\n".join(lines) + "\r\n\r\n").encode()
    separator = f"\r\n--{boundary}\r\n".encode()
    body = separator.join([b"", *parts])
    return head + body[2:] + f"\r\n--{boundary}--\r\n".encode()


def _encoded_words(value: str) -> list[str]:
    words: list[str] = []
    chunk: list[bytes] = []
    size = 0
    for char in value:
        encoded = char.encode("utf-8")
        if size + len(encoded) > _MAX_WORD_BYTES:
            words.append(_word(b"".join(chunk)))
            chunk, size = [], 0
        chunk.append(encoded)
        size += len(encoded)
    if chunk:
        words.append(_word(b"".join(chunk)))
    return words


def _word(data: bytes) -> str:
    return f"=?utf-8?b?{base64.b64encode(data).decode()}?="
