"""Logs on stderr: JSON objects (for log shippers) or readable lines, never a secret.

Whatever logged it (our code, uvicorn's access log, a library), a line never carries a
credential: passwords in URLs, bearer and basic credentials, cookies, tokens in query
strings (``?token=…``), calendar feed tokens (``/feeds/<token>.ics``, ``wpcal_…``) and
anything shaped like a JWT are masked in the message, in the fields passed with
``extra=`` and in the text of an exception.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

from pythonjsonlogger.json import JsonFormatter

MASK = "***"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # scheme://user:password@host
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s]+:)[^@\s]+@", re.IGNORECASE), rf"\1{MASK}@"),
    # Authorization: Bearer …, Basic …
    (re.compile(r"\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE), rf"\1\2{MASK}"),
    # a Cookie or Set-Cookie header, as a header line or in a dict's repr
    (
        re.compile(r"""(\b(?:set-)?cookie['"]?\s*[:=]\s*['"]?)[^'"\r\n]+""", re.IGNORECASE),
        rf"\1{MASK}",
    ),
    # ?token=…, &access_token=…, …
    (
        re.compile(
            r"([?&;](?:[a-z_]*token|api_?key|key|secret|password|passwd|signature|sig|code)=)"
            r"[^&;#\s'\"]+",
            re.IGNORECASE,
        ),
        rf"\1{MASK}",
    ),
    # a calendar feed's secret address, and feed tokens wherever they appear
    (re.compile(r"(/feeds/)[^/?#\s'\"]+(\.ics)\b"), rf"\1{MASK}\2"),
    (re.compile(r"\bwpcal_[A-Za-z0-9_-]+"), f"wpcal_{MASK}"),
    # a JWT (header.payload.signature, base64url, header and payload JSON objects)
    (re.compile(r"\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), MASK),
)
_STANDARD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys() | {"message", "asctime"}
)


def redact(text: str) -> str:
    """The text with every credential we recognise replaced by ``***``."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """Masks credentials in the message, the ``extra`` fields and the exception of a record,
    whatever library logged it."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info:
            record.exc_text = redact(self._formatter.formatException(record.exc_info))
            record.exc_info = None  # formatters print exc_text instead
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        record.__dict__.pop("color_message", None)  # uvicorn's copy with ANSI colours
        for name, value in extra_fields(record).items():
            if isinstance(value, str):
                setattr(record, name, redact(value))
        return True


def extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    """What the caller passed with ``extra=``."""
    return {
        name: value
        for name, value in record.__dict__.items()
        if name not in _STANDARD_ATTRIBUTES and not name.startswith("_")
    }


class ReadableFormatter(logging.Formatter):
    """One line per record: time, level, logger, message, then the ``extra`` fields as
    ``name=value`` (a dead letter's reason is part of what the line says)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        line = super().formatMessage(record)
        extras = " ".join(
            f"{name}={value}"
            for name, value in extra_fields(record).items()
            if name != "service" and str(value) not in record.message  # said already
        )
        return f"{line}  {extras}" if extras else line


PER_MESSAGE_LEVEL = logging.DEBUG
"""FastStream's "Received" / "Processed" line for every message: DEBUG, not INFO, so that
a day's log says what happened, not every event that went by."""


def broker_logger(service: str) -> logging.Logger:
    """The logger a service's FastStream broker writes to. Without it FastStream writes to
    stdout through a handler of its own, with ANSI colours and no redaction."""
    return logging.getLogger(f"workplan.{service}.messages")


def configure_logging(level: str = "INFO", *, json: bool = True, service: str = "workplan") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if json:
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                static_fields={"service": service},
            )
        )
    else:
        handler.setFormatter(ReadableFormatter())
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiormq", "aio_pika"):
        logging.getLogger(noisy).setLevel(max(logging.INFO, root.level))
