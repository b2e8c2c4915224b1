"""The channel an outbox's trigger NOTIFYs and its relays LISTEN on."""

from __future__ import annotations


def notify_channel(schema: str) -> str:
    return f"{schema}_outbox"
