"""OpenID Connect sign-in: authorization code with PKCE, built with authlib's OAuth 2
protocol functions (grant URI, S256 challenge, token request) and sent with the console's
own httpx client; the ID token verified against the issuer's keys (PyJWT): signature,
issuer, audience, expiry and the nonce of this sign-in.

What a sign-in under way needs between the two requests (state, PKCE verifier, nonce,
where to go after) is kept server-side in ``console.oidc_logins`` for ten minutes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx
import jwt
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncEngine

from services.console.adapters.orm import oidc_logins

LOGIN_TTL = timedelta(minutes=10)
SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"]


class OidcFailed(Exception):
    """The provider refused, or its answer could not be trusted; the message says which."""


@dataclass(frozen=True)
class Identity:
    """Who the provider says signed in."""

    subject: str
    """``issuer|sub``: unique across providers."""
    email: str | None
    email_verified: bool
    name: str | None
    username: str | None


@dataclass(frozen=True)
class PendingLogin:
    state: str
    code_verifier: str
    nonce: str
    next_path: str


class OidcLogins:
    """Sign-ins under way, each usable once (the row is deleted when the browser returns)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(self, login: PendingLogin) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                delete(oidc_logins).where(oidc_logins.c.created_at < datetime.now(UTC) - LOGIN_TTL)
            )
            await connection.execute(
                insert(oidc_logins).values(
                    state=login.state,
                    code_verifier=login.code_verifier,
                    nonce=login.nonce,
                    next_path=login.next_path,
                )
            )

    async def take(self, state: str) -> PendingLogin | None:
        async with self._engine.begin() as connection:
            row = (
                await connection.execute(
                    delete(oidc_logins)
                    .where(oidc_logins.c.state == state)
                    .where(oidc_logins.c.created_at >= datetime.now(UTC) - LOGIN_TTL)
                    .returning(oidc_logins)
                )
            ).first()
        if row is None:
            return None
        return PendingLogin(row.state, row.code_verifier, row.nonce, row.next_path)


class OidcClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        discovery_url: str,
        client_id: str,
        client_secret: str | None,
    ) -> None:
        self._http = http
        self._discovery_url = discovery_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._metadata: dict[str, Any] | None = None

    async def metadata(self) -> dict[str, Any]:
        if self._metadata is None:
            self._metadata = await self._json(self._discovery_url)
        return self._metadata

    async def start(self, redirect_uri: str, next_path: str) -> tuple[str, PendingLogin]:
        """The provider's authorization URL, and what to keep until the browser returns."""
        metadata = await self.metadata()
        login = PendingLogin(
            state=secrets.token_urlsafe(32),
            code_verifier=secrets.token_urlsafe(64),
            nonce=secrets.token_urlsafe(32),
            next_path=next_path,
        )
        url = prepare_grant_uri(
            metadata["authorization_endpoint"],
            client_id=self._client_id,
            response_type="code",
            redirect_uri=redirect_uri,
            scope="openid email profile",
            state=login.state,
            nonce=login.nonce,
            code_challenge=create_s256_code_challenge(login.code_verifier),
            code_challenge_method="S256",
        )
        return str(url), login

    async def finish(self, redirect_uri: str, code: str, login: PendingLogin) -> Identity:
        """Exchange the code (with the PKCE verifier) and verify the ID token."""
        metadata = await self.metadata()
        body = prepare_token_request(
            "authorization_code",
            redirect_uri=redirect_uri,
            code=code,
            code_verifier=login.code_verifier,
            **({} if self._client_secret else {"client_id": self._client_id}),
        )
        extra: dict[str, Any] = {}
        if self._client_secret:  # client_secret_basic: both form-encoded first (RFC 6749 2.3.1)
            secret = quote(self._client_secret, safe="")
            extra["auth"] = httpx.BasicAuth(quote(self._client_id, safe=""), secret)
        try:
            response = await self._http.post(
                metadata["token_endpoint"],
                content=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                **extra,
            )
            token: dict[str, Any] = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcFailed(f"the provider cannot be reached ({type(exc).__name__})") from exc
        if response.status_code != 200:
            raise OidcFailed(
                f"the provider refused the code: {token.get('error', response.status_code)}"
            )
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise OidcFailed("the provider sent no ID token")
        claims = await self._verified(id_token, metadata)
        if claims.get("nonce") != login.nonce:
            raise OidcFailed("the ID token is not for this sign-in (nonce)")
        if "email" not in claims and metadata.get("userinfo_endpoint"):
            claims = {**await self._userinfo(metadata, token, claims["sub"]), **claims}
        return Identity(
            subject=f"{metadata['issuer']}|{claims['sub']}",
            email=claims.get("email"),
            email_verified=claims.get("email_verified") is True,
            name=claims.get("name"),
            username=claims.get("preferred_username"),
        )

    async def _userinfo(
        self, metadata: dict[str, Any], token: dict[str, Any], subject: str
    ) -> dict[str, Any]:
        """The claims a provider gives only at its userinfo endpoint (OIDC Core 5.4)."""
        try:
            response = await self._http.get(
                metadata["userinfo_endpoint"],
                headers={"Authorization": f"Bearer {token.get('access_token', '')}"},
            )
            response.raise_for_status()
            info: dict[str, Any] = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcFailed(f"the provider's userinfo failed ({type(exc).__name__})") from exc
        if info.get("sub") != subject:
            raise OidcFailed("the userinfo is about someone else")
        return info

    async def _verified(self, id_token: str, metadata: dict[str, Any]) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(id_token)
            keys = jwt.PyJWKSet.from_dict(await self._json(metadata["jwks_uri"]))
            key = next((k for k in keys.keys if header.get("kid") in (None, k.key_id)), None)
            if key is None:
                raise OidcFailed("the ID token's key is not among the provider's keys")
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key.key,
                algorithms=SIGNING_ALGORITHMS,
                audience=self._client_id,
                issuer=metadata["issuer"],
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
                leeway=30,
            )
        except jwt.PyJWTError as exc:
            raise OidcFailed(f"the ID token is not valid: {exc}") from exc
        return claims

    async def _json(self, url: str) -> dict[str, Any]:
        try:
            response = await self._http.get(url)
            response.raise_for_status()
            document: dict[str, Any] = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcFailed(f"the provider cannot be reached ({type(exc).__name__})") from exc
        return document
