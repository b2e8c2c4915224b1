"""Mint and verify JWT bearer tokens.

Tokens we mint are HS256, signed with ``WORKPLAN_JWT_SECRET``; tokens of an OIDC issuer
(``WORKPLAN_OIDC_ISSUER`` + ``WORKPLAN_OIDC_JWKS_URL``) are verified against its JWKS.
Scopes are the space-separated ``scope`` claim (RFC 8693), e.g. ``planner:write``.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from shared.settings import WorkplanSettings

SCOPES = {
    "planner:read": "read the work plan (items, hearings, meetings, organisations)",
    "planner:write": "change the work plan",
    "planner:restricted": "see restricted items in the planner",
    "archive:read": "query the archive",
    "archive:restricted": "see restricted items and their events in the archive",
    "archive:audit": "read the archive's access log (who read restricted data)",
    "planner:admin": "list and replay the planner's dead letters",
    "archive:calendar": "keep one's own calendar feeds and download hearings as .ics files",
    "archive:admin": "manage everyone's calendar feeds (e.g. make one for a shared mailbox); "
    "list and replay the archive's dead letters",
    "notifier:read": "read one's own notification inbox",
    "notifier:admin": "manage recipients, subscriptions, webhooks, deliveries and the "
    "notifier's dead letters",
    "notifier:restricted": "see deliveries of restricted notices in the delivery log",
}


class InvalidToken(Exception):
    """The bearer token is malformed, expired, of another issuer or not signed by a trusted
    key. ``str()`` is a sentence for the caller; the decoder's own words never reach it."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        """``malformed``, ``expired``, ``not_yet_valid``, ``issuer``, ``audience``,
        ``signature``, ``algorithm`` or ``unknown_key``."""


_REFUSALS: tuple[tuple[type[jwt.PyJWTError], str, str], ...] = (
    (jwt.ExpiredSignatureError, "expired", "the bearer token has expired; mint a new one"),
    (
        jwt.ImmatureSignatureError,
        "not_yet_valid",
        "the bearer token is not valid yet (check the clocks)",
    ),
    (jwt.InvalidIssuerError, "issuer", "the bearer token is of another issuer"),
    (jwt.InvalidAudienceError, "audience", "the bearer token is meant for another audience"),
    (
        jwt.InvalidSignatureError,
        "signature",
        "the bearer token is not signed by a key this service trusts",
    ),
    (jwt.InvalidAlgorithmError, "algorithm", "the bearer token's algorithm is not accepted"),
    (
        jwt.PyJWKClientError,
        "unknown_key",
        "the bearer token's signing key is not among the issuer's keys",
    ),
    (
        jwt.MissingRequiredClaimError,
        "malformed",
        "the bearer token is malformed: it lacks a required claim (exp, sub)",
    ),
)
MALFORMED = "the bearer token is malformed: not a JSON Web Token this service can read"


def refusal(exc: jwt.PyJWTError) -> InvalidToken:
    """Why a token was refused, in words for the caller (never the decoder's own message)."""
    for kind, reason, message in _REFUSALS:
        if isinstance(exc, kind):
            return InvalidToken(reason, message)
    return InvalidToken("malformed", MALFORMED)


@dataclass(frozen=True)
class Principal:
    subject: str
    scopes: frozenset[str]

    def has(self, scope: str) -> bool:
        return scope in self.scopes


def mint_token(
    settings: WorkplanSettings,
    *,
    subject: str,
    scopes: Iterable[str],
    ttl: timedelta = timedelta(days=30),
) -> str:
    scopes = sorted(set(scopes))
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        raise ValueError(f"unknown scope(s): {', '.join(unknown)}; known: {', '.join(SCOPES)}")
    now = datetime.now(UTC)
    claims = {
        "sub": subject,
        "scope": " ".join(scopes),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "nbf": now,
        "exp": now + ttl,
        "jti": str(uuid.uuid4()),
    }
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm="HS256")


class TokenVerifier:
    def __init__(self, settings: WorkplanSettings) -> None:
        self._secret = settings.jwt_secret.get_secret_value()
        self._issuer = settings.jwt_issuer
        self._audience = settings.jwt_audience
        self._oidc_issuer = settings.oidc_issuer
        self._jwks = jwt.PyJWKClient(settings.oidc_jwks_url) if settings.oidc_jwks_url else None

    async def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
            algorithm = header.get("alg")
            if algorithm == "HS256":
                claims = jwt.decode(
                    token,
                    self._secret,
                    algorithms=["HS256"],
                    audience=self._audience,
                    issuer=self._issuer,
                    options={"require": ["exp", "sub"]},
                )
            elif self._jwks is not None and self._oidc_issuer is not None:
                key = await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)
                claims = jwt.decode(
                    token,
                    key.key,
                    algorithms=["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"],
                    audience=self._audience,
                    issuer=self._oidc_issuer,
                    options={"require": ["exp", "sub"]},
                )
            else:
                raise InvalidToken("algorithm", "the bearer token's algorithm is not accepted")
        except jwt.PyJWTError as exc:
            raise refusal(exc) from exc
        scope = claims.get("scope", "")
        scopes = scope.split() if isinstance(scope, str) else []
        return Principal(subject=str(claims["sub"]), scopes=frozenset(scopes))
