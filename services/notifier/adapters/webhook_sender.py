"""Signed webhooks (Standard Webhooks) over httpx.

Each request carries ``webhook-id`` (the delivery id, the same on every retry, so the
receiver can drop a repeat), ``webhook-timestamp`` and ``webhook-signature`` (HMAC-SHA256
of ``id.timestamp.body`` with the endpoint's ``whsec_`` secret). 2xx is success; 410 Gone
disables the endpoint; anything else is retried, no sooner than a ``Retry-After`` says.
A URL that cannot be requested at all (malformed, not http(s)) fails the delivery for good.
Secrets are never logged; redirects are not followed. The HTTP client (and httpx itself,
~5 MB resident with what it loads) is made on the first webhook sent, not before.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import TYPE_CHECKING

from standardwebhooks import Webhook

from services.notifier.domain.deliveries import AttemptResult, DueDelivery

if TYPE_CHECKING:
    import httpx

CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"
USER_AGENT = "Workplan-Notifier/0.1 (Standard Webhooks)"
RESPONSE_EXCERPT = 300


class HttpWebhookSender:
    def __init__(self, *, timeout: float = 10.0, concurrency: int = 16) -> None:
        self._timeout = timeout
        self._slots = asyncio.Semaphore(concurrency)
        self._concurrency = concurrency
        self._client: httpx.AsyncClient | None = None
        self._open = False

    async def __aenter__(self) -> HttpWebhookSender:
        self._open = True
        return self

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            import httpx  # noqa: PLC0415

            self._client = httpx.AsyncClient(
                timeout=self._timeout,
                follow_redirects=False,
                limits=httpx.Limits(max_connections=self._concurrency),
                headers={"user-agent": USER_AGENT},
            )
        return self._client

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._open = False
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def send(self, due: DueDelivery) -> AttemptResult:
        if not self._open:
            raise RuntimeError("HttpWebhookSender is used outside `async with`")
        if not due.endpoint_secret:
            return AttemptResult.permanent("the webhook endpoint has no secret")
        import httpx  # noqa: PLC0415 - loaded by _http() already

        client = self._http()
        headers = signed_headers(str(due.id), due.content, due.endpoint_secret, datetime.now(UTC))
        async with self._slots:
            try:
                async with client.stream(
                    "POST", due.target, content=due.content, headers=headers
                ) as response:
                    excerpt = await _excerpt(response)
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                return self._unanswered(exc)
        status = response.status_code
        said = f"HTTP {status}" + (f": {excerpt}" if excerpt else "")
        if 200 <= status < 300:
            return AttemptResult.sent(said)
        if status == 410:
            return AttemptResult.gone(f"{said} (the endpoint is disabled)")
        return AttemptResult.transient(said, retry_after(response.headers.get("retry-after")))

    def _unanswered(self, exc: httpx.HTTPError | httpx.InvalidURL) -> AttemptResult:
        """No answer came: a URL that cannot be requested fails for good; the rest retry."""
        import httpx  # noqa: PLC0415

        if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
            return AttemptResult.permanent(f"the URL cannot be requested: {exc}")
        if isinstance(exc, httpx.TimeoutException):
            return AttemptResult.transient(f"no answer within {self._timeout:g} s")
        return AttemptResult.transient(f"request failed: {type(exc).__name__}: {exc}")


def signed_headers(message_id: str, body: bytes, secret: str, at: datetime) -> dict[str, str]:
    signature = Webhook(secret).sign(message_id, at, body.decode())
    return {
        "content-type": CONTENT_TYPE,
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }


def retry_after(value: str | None, now: datetime | None = None) -> timedelta | None:
    """``Retry-After`` as seconds or an HTTP date; ``None`` when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(timedelta(0), when - (now or datetime.now(UTC)))


async def _excerpt(response: httpx.Response) -> str:
    read = b""
    async for chunk in response.aiter_bytes():
        read += chunk
        if len(read) >= RESPONSE_EXCERPT:
            break
    return " ".join(read[:RESPONSE_EXCERPT].decode(errors="replace").split())
