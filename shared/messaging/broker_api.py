"""The few calls of RabbitMQ's management HTTP API the project makes (users, permissions,
exchanges and exchange-to-exchange bindings), with httpx.

Production brokers are remote, so the HTTP API is used rather than ``rabbitmqctl``. The
address comes from ``WORKPLAN_BROKER_API_URL``; the credentials and the virtual host from
the AMQP URL unless the API URL names its own user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import httpx


class BrokerApiError(Exception):
    """The management API refused a call or could not be reached; ``reason`` says which."""

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class AmqpAccount:
    """The user, password and virtual host an AMQP URL connects with (RabbitMQ's defaults
    when the URL leaves them out: guest, guest, ``/``)."""

    user: str
    password: str
    vhost: str
    host: str

    @classmethod
    def of(cls, amqp_url: str) -> AmqpAccount:
        parts = urlsplit(amqp_url)
        path = parts.path[1:] if parts.path.startswith("/") else parts.path
        return cls(
            user=unquote(parts.username) if parts.username is not None else "guest",
            password=unquote(parts.password) if parts.password is not None else "guest",
            vhost=unquote(path) if path else "/",
            host=parts.hostname or "localhost",
        )


def api_url_for(amqp_url: str) -> str:
    """The management API's usual address beside a broker (same host, port 15672)."""
    return f"http://{AmqpAccount.of(amqp_url).host}:15672/"


class BrokerApi:
    """A client of the management API for one virtual host."""

    def __init__(
        self, api_url: str, *, user: str, password: str, vhost: str, timeout: float = 10.0
    ) -> None:
        parts = urlsplit(api_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BrokerApiError(f"not an http(s) address of the management API: {api_url!r}")
        if parts.username is not None:
            user = unquote(parts.username)
            password = unquote(parts.password or "")
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        base = f"{parts.scheme}://{netloc}{parts.path.rstrip('/')}/api/"
        self.vhost = vhost
        self.user = user
        self._client = httpx.AsyncClient(base_url=base, auth=(user, password), timeout=timeout)

    @classmethod
    def for_amqp(cls, api_url: str | None, amqp_url: str, *, timeout: float = 10.0) -> BrokerApi:
        account = AmqpAccount.of(amqp_url)
        return cls(
            api_url or api_url_for(amqp_url),
            user=account.user,
            password=account.password,
            vhost=account.vhost,
            timeout=timeout,
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> BrokerApi:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    # --- users and permissions ---------------------------------------------------------

    async def user_exists(self, name: str) -> bool:
        return await self._get(f"users/{_q(name)}") is not None

    async def put_user(self, name: str, password: str) -> None:
        """Create (or reset) a user with no tags: it cannot use the management API."""
        await self._call("PUT", f"users/{_q(name)}", {"password": password, "tags": ""})

    async def delete_user(self, name: str) -> None:
        """Delete a user; RabbitMQ closes its open connections."""
        await self._call("DELETE", f"users/{_q(name)}", missing_ok=True)

    async def set_permissions(self, user: str, *, configure: str, write: str, read: str) -> None:
        await self._call(
            "PUT",
            f"permissions/{_q(self.vhost)}/{_q(user)}",
            {"configure": configure, "write": write, "read": read},
        )

    # --- exchanges and bindings --------------------------------------------------------

    async def exchange(self, name: str) -> dict[str, Any] | None:
        found = await self._get(f"exchanges/{_q(self.vhost)}/{_q(name)}")
        return found if isinstance(found, dict) else None

    async def exchanges(self, name_regex: str = ".*") -> list[dict[str, Any]]:
        """The virtual host's exchanges whose names match ``name_regex`` (filtered by the
        broker, a page of 500 at a time): name, type and arguments."""
        found: list[dict[str, Any]] = []
        page, pages = 1, 1
        while page <= pages:
            answer = await self._get(
                f"exchanges/{_q(self.vhost)}",
                params={
                    "page": str(page),
                    "page_size": "500",
                    "name": name_regex,
                    "use_regex": "true",
                    "columns": "name,type,arguments",
                },
            )
            if not isinstance(answer, dict):
                break
            found.extend(item for item in answer.get("items", []) if isinstance(item, dict))
            pages = int(answer.get("page_count", 1))
            page += 1
        return found

    async def put_exchange(self, name: str, arguments: dict[str, Any] | None = None) -> None:
        """Declare a durable topic exchange (idempotent with the same arguments)."""
        await self._call(
            "PUT",
            f"exchanges/{_q(self.vhost)}/{_q(name)}",
            {"type": "topic", "durable": True, "auto_delete": False, "arguments": arguments or {}},
        )

    async def delete_exchange(self, name: str) -> None:
        """Delete an exchange and every binding from or to it."""
        await self._call("DELETE", f"exchanges/{_q(self.vhost)}/{_q(name)}", missing_ok=True)

    async def bind_exchange(self, source: str, destination: str, routing_key: str) -> None:
        await self._call(
            "POST",
            f"bindings/{_q(self.vhost)}/e/{_q(source)}/e/{_q(destination)}",
            {"routing_key": routing_key, "arguments": {}},
        )

    async def exchange_bindings(self, source: str) -> list[dict[str, Any]]:
        found = await self._get(f"exchanges/{_q(self.vhost)}/{_q(source)}/bindings/source")
        return [item for item in found or [] if isinstance(item, dict)]

    # --- transport ---------------------------------------------------------------------

    async def _get(self, path: str, params: dict[str, str] | None = None) -> Any:
        """The decoded JSON answer, or ``None`` when the object does not exist."""
        response = await self._send("GET", path, params=params)
        if response.status_code == 404:
            return None
        _raise_for(response, "GET", path)
        return response.json()

    async def _call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        missing_ok: bool = False,
    ) -> None:
        response = await self._send(method, path, json=body)
        if missing_ok and response.status_code == 404:
            return
        _raise_for(response, method, path)

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise BrokerApiError(
                f"the broker's management API at {self._client.base_url} is unreachable: "
                f"{exc.__class__.__name__}: {exc}"
            ) from exc


def _raise_for(response: httpx.Response, method: str, path: str) -> None:
    if response.is_success:
        return
    try:
        detail = response.json().get("reason") or response.text
    except ValueError:
        detail = response.text
    if response.status_code == 401:
        detail = f"not authorised (user needs a management tag): {detail}"
    raise BrokerApiError(
        f"{method} /api/{path} answered {response.status_code}: {detail}",
        status=response.status_code,
    )


def _q(part: str) -> str:
    """One path segment, every reserved character escaped (``/`` as ``%2F``)."""
    return quote(part, safe="")
