"""Browser-facing protections: security headers with a strict Content-Security-Policy (no
inline script or style), the session cookie's attributes, and CSRF tokens on every form."""

from __future__ import annotations

import secrets

from fastapi import Request, Response
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.types import ASGIApp

SESSION_COOKIE = "workplan_session"
SIGN_IN_CSRF_COOKIE = "workplan_sign_in"
LANGUAGE_COOKIE = "workplan_language"
CSRF_FIELD = "csrf_token"


def content_security_policy(form_targets: tuple[str, ...] = ()) -> str:
    """Everything from the console itself; forms post only to it (and the OIDC issuer)."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
            " ".join(["form-action 'self'", *form_targets]),
        ]
    )


class SecurityHeaders(BaseHTTPMiddleware):
    def __init__(self, app: ASGIApp, policy: str) -> None:
        super().__init__(app)
        self._policy = policy

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        headers = response.headers
        headers["Content-Security-Policy"] = self._policy
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if not request.url.path.startswith("/assets/"):
            headers["Cache-Control"] = "no-store"
        return response


def same_token(expected: str | None, given: object) -> bool:
    """Constant-time comparison of a form's CSRF token with the expected one."""
    if not expected or not isinstance(given, str) or not given:
        return False
    return secrets.compare_digest(expected.encode(), given.encode("utf-8", "surrogatepass"))


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def set_cookie(
    response: Response, name: str, value: str, *, secure: bool, max_age: int | None = None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        secure=secure,
        httponly=True,
        samesite="lax",
    )


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another host (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if any(ord(character) < 32 for character in target):
        return "/"
    return target
