"""Secrets never appear in logs: passwords in URLs and bearer tokens are masked."""

from __future__ import annotations

import logging
import sys

import pytest

from shared.runtime.logs import ReadableFormatter, RedactSecrets, redact


def test_passwords_in_urls_and_bearer_tokens_are_masked():
    line = (
        "connecting to amqp://guest:s3cret@rabbit:5672/ and "
        "postgresql+asyncpg://app:p%40ss@db/workplan with Authorization: Bearer eyJhbGciOi.x.y"
    )
    masked = redact(line)
    assert "s3cret" not in masked
    assert "p%40ss" not in masked
    assert "eyJhbGciOi" not in masked
    assert "amqp://guest:***@rabbit:5672/" in masked


def test_the_filter_masks_whatever_a_library_logs():
    record = logging.LogRecord(
        "aiormq", logging.INFO, __file__, 1, "Connecting to %s", ("amqp://u:pw@h/",), None
    )
    assert RedactSecrets().filter(record)
    assert record.getMessage() == "Connecting to amqp://u:***@h/"


SECRET_JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjbGVyayJ9.c2lnbmF0dXJlLWJ5dGVz"


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ('127.0.0.1:5 - "GET /unsubscribe?token=s.abc123.MAC HTTP/1.1" 200', "s.abc123.MAC"),
        ('"GET /api/v1/x?q=1&access_token=opaque-42 HTTP/1.1" 401', "opaque-42"),
        ('"GET /feeds/wpcal_Zm9vYmFyYmF6.ics HTTP/1.1" 200', "Zm9vYmFyYmF6"),
        ('"GET /feeds/anything-else.ics?x=1 HTTP/1.1" 404', "anything-else"),
        ("feed wpcal_Zm9vYmFyYmF6 created", "Zm9vYmFyYmF6"),
        ("headers: {'cookie': 'session=abc; theme=dark'}", "session=abc"),
        ("Set-Cookie: console_session=xyz; HttpOnly", "console_session=xyz"),
        ("Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
        (f"token {SECRET_JWT} refused", "c2lnbmF0dXJlLWJ5dGVz"),
    ],
)
def test_tokens_in_query_strings_cookies_feed_addresses_and_jwts_are_masked(line, secret):
    assert secret not in redact(line)
    assert "***" in redact(line)


def test_extra_fields_and_exceptions_are_masked_too():
    try:
        raise ValueError(f"could not read {SECRET_JWT}")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    record.__dict__["url"] = "https://h/feeds/wpcal_abcdef.ics"

    RedactSecrets().filter(record)

    assert "wpcal_abcdef" not in record.__dict__["url"]
    assert SECRET_JWT not in (record.exc_text or "")
    assert "ValueError: could not read ***" in (record.exc_text or "")


def test_readable_lines_show_what_was_passed_with_extra():
    record = logging.LogRecord("intake", logging.WARNING, __file__, 1, "dead-lettered", None, None)
    record.__dict__["reason"] = "unknown publisher"

    line = ReadableFormatter().format(record)

    assert line.endswith("WARNING intake dead-lettered  reason=unknown publisher")
