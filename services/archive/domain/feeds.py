"""Calendar feeds: secret addresses that calendar programs subscribe to without a header.

A feed belongs to an owner (a person, or a shared mailbox an administrator made it for)
and keeps the filters it was made with: a committee, an organisation, followed items. Its
token is a long random value shown once; only its SHA-256 is kept, so a copy of the
database gives no working address. The owner's clearance for restricted items is recorded
when the feed is made (from the creating token's ``archive:restricted`` scope) and never
widened afterwards; a revoked feed answers nothing.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime

TOKEN_PREFIX = "wpcal_"  # noqa: S105 - the mark of a feed token, not a secret
TOKEN_BYTES = 32
"""256 random bits: 43 base64url characters after the prefix."""
_TOKEN = re.compile(rf"^{TOKEN_PREFIX}[A-Za-z0-9_-]{{43}}$")
MAX_ITEMS = 100


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256 (a random 256-bit value needs no slow hash)."""
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(text: str) -> bool:
    """A string that could be a token we issued (anything else is not looked up)."""
    return bool(_TOKEN.match(text))


@dataclass(frozen=True)
class FeedFilters:
    committee: str | None = None
    organization: str | None = None
    item_ids: tuple[uuid.UUID, ...] = ()
    """Items followed: only their hearings and meetings (none: every item)."""


@dataclass(frozen=True)
class CalendarFeed:
    id: uuid.UUID
    owner: str
    name: str
    filters: FeedFilters
    cleared: bool
    """Whether restricted items and their hearings and meetings are in the feed."""
    created_by: str
    created_at: datetime | None = None
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class IssuedFeed:
    """A feed just made, with its token: the only time the token is known."""

    feed: CalendarFeed
    token: str = field(repr=False)
