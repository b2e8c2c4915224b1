"""The notifier's HTTP API as the console uses it."""

from __future__ import annotations

import uuid
from typing import Any

from services.console.adapters.service_client import Caller, ServiceClient

CONSOLE_ADMIN = Caller(subject="console", scopes=frozenset({"notifier:admin"}))
"""The console itself, linking a new account to its notifier recipient."""
PAGE = 500


class NotifierDirectory:
    """Finds a recipient by e-mail address, or adds one (``notifier:admin``)."""

    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    async def find_or_add(self, name: str, email: str, language: str, cleared: bool) -> uuid.UUID:
        offset = 0
        while True:
            page = await self._client.read(
                "/api/v1/recipients", CONSOLE_ADMIN, limit=PAGE, offset=offset
            )
            for recipient in page:
                if str(recipient["email"]).lower() == email.lower():
                    return uuid.UUID(recipient["id"])
            if len(page) < PAGE:
                break
            offset += PAGE
        added = await self._client.change(
            "POST",
            "/api/v1/recipients",
            CONSOLE_ADMIN,
            {"name": name, "email": email, "language": language, "cleared": cleared},
        )
        return uuid.UUID(added["id"])


class NotifierApi:
    """The notifier on the viewer's behalf: the inbox and "my notifications" with the
    viewer's own recipient token (``notifier:read``), administration with ``notifier:admin``."""

    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    # the viewer's own inbox, subscriptions and preferences
    async def inbox(
        self, caller: Caller, *, unread_only: bool, limit: int, offset: int
    ) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self._client.read(
            "/api/v1/inbox", caller, unread_only=unread_only or None, limit=limit, offset=offset
        )
        return found

    async def unread(self, caller: Caller) -> int:
        found = await self._client.read("/api/v1/inbox/unread-count", caller)
        return int(found["unread"])

    async def mark_read(self, caller: Caller, notification_id: str) -> None:
        await self._client.change("POST", f"/api/v1/inbox/{notification_id}/read", caller)

    async def mark_all_read(self, caller: Caller) -> int:
        marked = await self._client.change("POST", "/api/v1/inbox/read-all", caller)
        return int(marked["marked"])

    async def me(self, caller: Caller) -> dict[str, Any]:
        found: dict[str, Any] = await self._client.read("/api/v1/me", caller)
        return found

    async def update_me(self, caller: Caller, changes: dict[str, Any]) -> dict[str, Any]:
        changed: dict[str, Any] = await self._client.change("PATCH", "/api/v1/me", caller, changes)
        return changed

    async def my_subscriptions(self, caller: Caller) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self._client.read(
            "/api/v1/me/subscriptions", caller, limit=PAGE
        )
        return found

    async def subscribe(self, caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
        made: dict[str, Any] = await self._client.change(
            "POST", "/api/v1/me/subscriptions", caller, body
        )
        return made

    async def change_subscription(
        self, caller: Caller, subscription_id: str, changes: dict[str, Any]
    ) -> None:
        path = f"/api/v1/me/subscriptions/{subscription_id}"
        await self._client.change("PATCH", path, caller, changes)

    async def unsubscribe(self, caller: Caller, subscription_id: str) -> None:
        await self._client.change("DELETE", f"/api/v1/me/subscriptions/{subscription_id}", caller)

    # administration (notifier:admin)
    async def recipients(self, caller: Caller, *, limit: int, offset: int) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self._client.read(
            "/api/v1/recipients", caller, limit=limit, offset=offset
        )
        return found

    async def recipient(self, caller: Caller, recipient_id: str) -> dict[str, Any]:
        found: dict[str, Any] = await self._client.read(
            f"/api/v1/recipients/{recipient_id}", caller
        )
        return found

    async def add_recipient(self, caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
        added: dict[str, Any] = await self._client.change(
            "POST", "/api/v1/recipients", caller, body
        )
        return added

    async def update_recipient(
        self, caller: Caller, recipient_id: str, changes: dict[str, Any]
    ) -> dict[str, Any]:
        path = f"/api/v1/recipients/{recipient_id}"
        changed: dict[str, Any] = await self._client.change("PATCH", path, caller, changes)
        return changed

    async def endpoints(self, caller: Caller) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self._client.read(
            "/api/v1/webhook-endpoints", caller, limit=PAGE
        )
        return found

    async def add_endpoint(self, caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
        added: dict[str, Any] = await self._client.change(
            "POST", "/api/v1/webhook-endpoints", caller, body
        )
        return added

    async def update_endpoint(
        self, caller: Caller, endpoint_id: str, changes: dict[str, Any]
    ) -> None:
        await self._client.change(
            "PATCH", f"/api/v1/webhook-endpoints/{endpoint_id}", caller, changes
        )

    async def remove_endpoint(self, caller: Caller, endpoint_id: str) -> None:
        await self._client.change("DELETE", f"/api/v1/webhook-endpoints/{endpoint_id}", caller)

    async def deliveries(
        self, caller: Caller, *, limit: int, offset: int, **filters: Any
    ) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self._client.read(
            "/api/v1/deliveries", caller, limit=limit, offset=offset, **filters
        )
        return found

    async def delivery(self, caller: Caller, delivery_id: str) -> dict[str, Any]:
        found: dict[str, Any] = await self._client.read(f"/api/v1/deliveries/{delivery_id}", caller)
        return found

    async def resend(self, caller: Caller, delivery_id: str) -> None:
        await self._client.change("POST", f"/api/v1/deliveries/{delivery_id}/resend", caller)
