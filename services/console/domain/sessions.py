"""A signed-in browser: server-side, so signing out or disabling an account ends it."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass
class BrowserSession:
    token_hash: str
    account_id: uuid.UUID
    csrf_token: str
    expires_at: datetime

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    def extended(self, now: datetime, idle: timedelta) -> BrowserSession:
        return BrowserSession(self.token_hash, self.account_id, self.csrf_token, now + idle)


def new_session_token() -> str:
    """The cookie's value: 256 random bits. Only its hash is stored."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_session(
    account_id: uuid.UUID, token: str, now: datetime, idle: timedelta
) -> BrowserSession:
    return BrowserSession(
        token_hash=token_hash(token),
        account_id=account_id,
        csrf_token=secrets.token_urlsafe(32),
        expires_at=now + idle,
    )
