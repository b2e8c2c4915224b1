"""FastAPI dependencies that enforce bearer tokens and scopes.

The app factory puts a :class:`TokenVerifier` on ``app.state.token_verifier``; routes
declare what they need with ``Depends(require("planner:write"))``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.auth.tokens import InvalidToken, Principal, TokenVerifier

bearer = HTTPBearer(auto_error=False, description="A JWT from `workplan tokens create`.")


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "a bearer token is required",
            headers={"WWW-Authenticate": "Bearer"},
        )
    verifier: TokenVerifier = request.app.state.token_verifier
    try:
        return await verifier.verify(credentials.credentials)
    except InvalidToken as exc:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            str(exc),
            headers={
                "WWW-Authenticate": f'Bearer error="invalid_token", error_description="{exc}"'
            },
        ) from exc


def require(scope: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency that returns the caller when their token carries ``scope``, else 403."""

    async def dependency(
        principal: Annotated[Principal, Depends(current_principal)],
    ) -> Principal:
        if not principal.has(scope):
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                f"this needs the {scope!r} scope",
                headers={"WWW-Authenticate": f'Bearer error="insufficient_scope" scope="{scope}"'},
            )
        return principal

    return dependency


def require_any(*scopes: str) -> Callable[..., Awaitable[Principal]]:
    """Like :func:`require`, for a route that any one of ``scopes`` opens."""

    async def dependency(
        principal: Annotated[Principal, Depends(current_principal)],
    ) -> Principal:
        if not any(principal.has(scope) for scope in scopes):
            named = " or ".join(repr(scope) for scope in scopes)
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                f"this needs the {named} scope",
                headers={
                    "WWW-Authenticate": f'Bearer error="insufficient_scope" scope="{scopes[0]}"'
                },
            )
        return principal

    return dependency
