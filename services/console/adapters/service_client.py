"""HTTP calls to the planner, archive and notifier on the signed-in user's behalf.

Each request carries a bearer token minted for it alone: the user's subject and the
scopes of their roles, valid for ``service_token_ttl`` seconds. The services decide what
that user may see and do; the console only shows their answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx

from shared.auth.tokens import mint_token
from shared.settings import WorkplanSettings


@dataclass(frozen=True)
class Caller:
    """Who a request is made for: the token's subject and scopes."""

    subject: str
    scopes: frozenset[str]


@dataclass(frozen=True)
class Download:
    content: bytes
    media_type: str
    disposition: str | None


class ServiceUnavailable(Exception):
    """The service could not be reached or said it is unavailable (5xx, time-out)."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"{service} is unavailable: {reason}")
        self.service = service


class NotFoundAtService(Exception):
    """404: it does not exist, or the caller may not see it (the services do not say which)."""


class Refused(Exception):
    """A 4xx answer to a change: the service's rule, with the fields it names.

    ``problems`` are ``(field path, message)`` pairs: FastAPI's validation errors give the
    path (``("title", "en")``), a domain refusal (``{"detail": ...}``) has an empty path.
    """

    def __init__(self, status: int, problems: list[tuple[tuple[str, ...], str]]) -> None:
        super().__init__("; ".join(message for _path, message in problems) or f"HTTP {status}")
        self.status = status
        self.problems = problems


@dataclass
class ServiceClient:
    """One service's base URL on a shared :class:`httpx.AsyncClient`."""

    name: str
    base_url: str
    http: httpx.AsyncClient
    settings: WorkplanSettings
    token_ttl: timedelta = field(default=timedelta(seconds=60))

    def _headers(self, caller: Caller) -> dict[str, str]:
        token = mint_token(
            self.settings, subject=caller.subject, scopes=caller.scopes, ttl=self.token_ttl
        )
        return {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    async def _send(
        self,
        method: str,
        path: str,
        caller: Caller,
        *,
        params: dict[str, Any] | None = None,
        body: Any = None,
    ) -> httpx.Response:
        url = self.base_url.rstrip("/") + path
        try:
            response = await self.http.request(
                method, url, params=params, json=body, headers=self._headers(caller)
            )
        except httpx.TimeoutException as exc:
            raise ServiceUnavailable(self.name, "no answer in time") from exc
        except httpx.TransportError as exc:
            raise ServiceUnavailable(self.name, type(exc).__name__) from exc
        if response.status_code >= 500:
            raise ServiceUnavailable(self.name, f"HTTP {response.status_code}")
        return response

    async def read(self, path: str, caller: Caller, **params: Any) -> Any:
        """The JSON answer to a GET; :class:`NotFoundAtService` for a 404 (or 403)."""
        clean = {key: value for key, value in params.items() if value not in (None, "")}
        response = await self._send("GET", path, caller, params=clean)
        if response.status_code in (403, 404):
            raise NotFoundAtService(path)
        if response.status_code >= 400:
            raise _refused(response)
        return response.json()

    async def read_with_total(self, path: str, caller: Caller, **params: Any) -> tuple[Any, int]:
        """The JSON answer and the list's whole size (``X-Total-Count``, else its length)."""
        clean = {key: value for key, value in params.items() if value not in (None, "")}
        response = await self._send("GET", path, caller, params=clean)
        if response.status_code in (403, 404):
            raise NotFoundAtService(path)
        if response.status_code >= 400:
            raise _refused(response)
        found = response.json()
        total = response.headers.get("x-total-count", "")
        return found, int(total) if total.isdigit() else len(found)

    async def download(self, path: str, caller: Caller, **params: Any) -> Download:
        """A file the service makes (CSV, iCalendar): its bytes, type and suggested name."""
        clean = {key: value for key, value in params.items() if value not in (None, "")}
        response = await self._send("GET", path, caller, params=clean)
        if response.status_code in (403, 404):
            raise NotFoundAtService(path)
        if response.status_code >= 400:
            raise _refused(response)
        return Download(
            content=response.content,
            media_type=response.headers.get("content-type", "application/octet-stream"),
            disposition=response.headers.get("content-disposition"),
        )

    async def change(self, method: str, path: str, caller: Caller, body: Any = None) -> Any:
        """The JSON answer to a change; :class:`Refused` with the service's reasons."""
        response = await self._send(method, path, caller, body=body)
        if response.status_code == 404:
            raise NotFoundAtService(path)
        if response.status_code >= 400:
            raise _refused(response)
        return response.json() if response.content else None


def _refused(response: httpx.Response) -> Refused:
    try:
        document = response.json()
    except ValueError:
        return Refused(response.status_code, [((), f"HTTP {response.status_code}")])
    detail = document.get("detail") if isinstance(document, dict) else None
    if isinstance(detail, list):
        problems = [
            (
                tuple(str(part) for part in error.get("loc", [])[1:]),
                str(error.get("msg", "")),
            )
            for error in detail
            if isinstance(error, dict)
        ]
        return Refused(response.status_code, problems)
    return Refused(response.status_code, [((), str(detail or f"HTTP {response.status_code}"))])
