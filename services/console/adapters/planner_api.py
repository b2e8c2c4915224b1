"""The planner's HTTP API as the console uses it."""

from __future__ import annotations

from typing import Any

from services.console.adapters.service_client import Caller, ServiceClient

PAGE = 500
MAX_ITEMS = 20_000


class PlannerApi:
    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    async def sessions(self, caller: Caller) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self._client.read("/api/v1/sessions", caller)
        return found

    async def organizations(self, caller: Caller) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self._client.read("/api/v1/organizations", caller)
        return found

    async def items(self, caller: Caller, committee: str, session: str) -> list[dict[str, Any]]:
        """Every item of the work plan the caller may see (page by page)."""
        found: list[dict[str, Any]] = []
        while len(found) < MAX_ITEMS:
            page = await self._client.read(
                "/api/v1/items",
                caller,
                committee=committee,
                session=session,
                limit=PAGE,
                offset=len(found),
            )
            found.extend(page)
            if len(page) < PAGE:
                break
        return found

    async def item(self, caller: Caller, item_id: str) -> dict[str, Any]:
        found: dict[str, Any] = await self._client.read(f"/api/v1/items/{item_id}", caller)
        return found

    async def hearing(self, caller: Caller, hearing_id: str) -> dict[str, Any]:
        found: dict[str, Any] = await self._client.read(f"/api/v1/hearings/{hearing_id}", caller)
        return found

    async def create_item(self, caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
        created: dict[str, Any] = await self._client.change("POST", "/api/v1/items", caller, body)
        return created

    async def update_item(
        self, caller: Caller, item_id: str, changes: dict[str, Any]
    ) -> dict[str, Any]:
        path = f"/api/v1/items/{item_id}"
        updated: dict[str, Any] = await self._client.change("PATCH", path, caller, changes)
        return updated

    async def change_status(
        self, caller: Caller, item_id: str, status: str, reason: str | None
    ) -> dict[str, Any]:
        body = {"status": status, "reason": reason}
        path = f"/api/v1/items/{item_id}/status"
        changed: dict[str, Any] = await self._client.change("POST", path, caller, body)
        return changed

    async def schedule_hearing(
        self, caller: Caller, item_id: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        path = f"/api/v1/items/{item_id}/hearings"
        scheduled: dict[str, Any] = await self._client.change("POST", path, caller, body)
        return scheduled

    async def hearing_action(
        self, caller: Caller, hearing_id: str, action: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        """``reschedule``, ``cancel`` or ``held``."""
        path = f"/api/v1/hearings/{hearing_id}/{action}"
        done: dict[str, Any] = await self._client.change("POST", path, caller, body)
        return done

    async def record_meeting(self, caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
        recorded: dict[str, Any] = await self._client.change(
            "POST", "/api/v1/meetings", caller, body
        )
        return recorded
