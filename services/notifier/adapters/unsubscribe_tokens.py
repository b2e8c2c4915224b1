"""Signed one-click unsubscribe tokens (RFC 8058): what to mute, and an HMAC over it.

``s.<subscription uuid hex>.<mac>`` mutes one subscription, ``d.<recipient uuid hex>.<mac>``
a recipient's digests. The key is derived from the JWT secret with a label of its own, so
a token is good for nothing else. Tokens do not expire: a link in an old e-mail still works.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid

from services.notifier.handlers.ports import UnsubscribeScope

KINDS = {"s": "subscription", "d": "digests"}
LETTERS = {kind: letter for letter, kind in KINDS.items()}


class InvalidUnsubscribeToken(ValueError):
    """The token is malformed or its signature does not match."""


class UnsubscribeTokens:
    def __init__(self, secret: str) -> None:
        self._key = hmac.new(secret.encode(), b"workplan-notifier-unsubscribe", "sha256").digest()

    def issue(self, scope: UnsubscribeScope) -> str:
        kind, target = scope
        body = f"{LETTERS[kind]}.{target.hex}"
        return f"{body}.{self._mac(body)}"

    def read(self, token: str) -> UnsubscribeScope:
        parts = token.split(".")
        if not token.isascii() or len(parts) != 3 or parts[0] not in KINDS:
            # an issued token is ASCII; compare_digest cannot compare other text
            raise InvalidUnsubscribeToken("the unsubscribe token is malformed")
        body = f"{parts[0]}.{parts[1]}"
        if not hmac.compare_digest(self._mac(body), parts[2]):
            raise InvalidUnsubscribeToken("the unsubscribe token's signature does not match")
        try:
            target = uuid.UUID(hex=parts[1])
        except ValueError as exc:
            raise InvalidUnsubscribeToken("the unsubscribe token is malformed") from exc
        return ("subscription", target) if parts[0] == "s" else ("digests", target)

    def _mac(self, body: str) -> str:
        digest = hmac.new(self._key, body.encode(), hashlib.sha256).digest()[:18]
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")
