"""Secrets never appear in logs: passwords in URLs and bearer tokens are masked."""

from __future__ import annotations

import logging

from shared.runtime.logs import RedactSecrets, redact


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
