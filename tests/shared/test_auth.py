"""A refused bearer token is explained in words the caller can act on: missing, malformed,
expired, of another issuer, not signed by a trusted key; never the decoder's internals."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Annotated

import httpx
import jwt
import pytest
from fastapi import Depends, FastAPI
from pydantic import SecretStr

from shared.auth.http import current_principal
from shared.auth.tokens import InvalidToken, Principal, TokenVerifier, mint_token
from shared.settings import WorkplanSettings

SETTINGS = WorkplanSettings(jwt_secret=SecretStr("k" * 40), _env_file=None)
DECODER_WORDS = ("segments", "padding", "Signature verification failed", "Invalid", "decode")


def signed(claims: dict[str, object], *, key: str = "k" * 40) -> str:
    now = datetime.now(UTC)
    base = {"sub": "staff", "scope": "planner:read", "iss": "workplan", "aud": "workplan"}
    return jwt.encode({**base, "iat": now, "exp": now + timedelta(hours=1), **claims}, key)


def unsigned_header(header: dict[str, str]) -> str:
    part = base64.urlsafe_b64encode(json.dumps(header).encode()).decode().rstrip("=")
    return f"{part}.eyJzdWIiOiJ4In0.c2ln"


CASES = [
    ("not.a.jwt", "malformed", "the bearer token is malformed"),
    ("a" * 40, "malformed", "the bearer token is malformed"),
    ("eyJ!!!.eyJ.x", "malformed", "the bearer token is malformed"),
    (signed({"exp": datetime.now(UTC) - timedelta(minutes=5)}), "expired", "has expired"),
    (signed({"iss": "https://elsewhere.example"}), "issuer", "of another issuer"),
    (signed({"aud": "another-system"}), "audience", "another audience"),
    (signed({}, key="x" * 40), "signature", "not signed by a key this service trusts"),
    (signed({"nbf": datetime.now(UTC) + timedelta(hours=2)}), "not_yet_valid", "not valid yet"),
    (unsigned_header({"alg": "none", "typ": "JWT"}), "algorithm", "algorithm is not accepted"),
]


@pytest.mark.parametrize(("token", "reason", "words"), CASES)
async def test_a_refused_token_says_why_in_its_own_words(token, reason, words):
    with pytest.raises(InvalidToken) as refused:
        await TokenVerifier(SETTINGS).verify(token)

    assert refused.value.reason == reason
    assert words in str(refused.value)
    assert not any(internal in str(refused.value) for internal in DECODER_WORDS)


async def test_a_good_token_gives_its_subject_and_scopes():
    token = mint_token(SETTINGS, subject="clerk", scopes=["archive:read", "planner:read"])

    principal = await TokenVerifier(SETTINGS).verify(token)

    assert principal == Principal("clerk", frozenset({"archive:read", "planner:read"}))


@pytest.fixture
async def api():
    app = FastAPI()
    app.state.token_verifier = TokenVerifier(SETTINGS)

    @app.get("/who")
    async def who(principal: Annotated[Principal, Depends(current_principal)]) -> dict[str, str]:
        return {"subject": principal.subject}

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        yield client


async def test_the_401_names_missing_and_expired_tokens_and_the_header_says_so_too(api):
    missing = await api.get("/who")
    basic = await api.get("/who", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    expired = await api.get(
        "/who",
        headers={"Authorization": f"Bearer {signed({'exp': datetime.now(UTC) - timedelta(1)})}"},
    )

    assert (missing.status_code, missing.json()["detail"]) == (401, "a bearer token is required")
    assert basic.json()["detail"] == "a bearer token is required"
    assert expired.status_code == 401
    assert expired.json()["detail"] == "the bearer token has expired; mint a new one"
    assert expired.headers["WWW-Authenticate"] == (
        'Bearer error="invalid_token", '
        'error_description="the bearer token has expired; mint a new one"'
    )
