"""The planner's HTTP API as the console uses it."""

from __future__ import annotations

from typing import Any

from services.console.adapters.service_client import Caller, ServiceClient


class PlannerApi:
    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    async def sessions(self, caller: Caller) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self._client.read("/api/v1/sessions", caller)
        return found

    async def organizations(self, caller: Caller) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self._client.read("/api/v1/organizations", caller)
        return found

    async def items(
        self,
        caller: Caller,
        committee: str,
        session: str,
        *,
        limit: int,
        offset: int = 0,
        filters: dict[str, str] | None = None,
    ) -> list[dict[str, Any]]:
        """One page of the work plan's items that match (``status``, ``category``,
        ``organization``, ``owner``, ``q``), as the caller may see them."""
        found: list[dict[str, Any]] = await self._client.read(
            "/api/v1/items",
            caller,
            committee=committee,
            session=session,
            limit=limit,
            offset=offset,
            **(filters or {}),
        )
        return found

    async def summary(
        self, caller: Caller, committee: str, session: str, **filters: str
    ) -> dict[str, Any]:
        """Items per status, owners and organisations (of the items that match)."""
        path = f"/api/v1/work-plans/{committee}/{session}/summary"
        found: dict[str, Any] = await self._client.read(path, caller, **filters)
        return found

    async def item(self, caller: Caller, item_id: str) -> dict[str, Any]:
        found: dict[str, Any] = await self._client.read(f"/api/v1/items/{item_id}", caller)
        return found

    async def hearing(self, caller: Caller, hearing_id: str) -> dict[str, Any]:
        found: dict[str, Any] = await self._client.read(f"/api/v1/hearings/{hearing_id}", caller)
        return found

    async def hearings(
        self, caller: Caller, *, limit: int = 500, **filters: Any
    ) -> tuple[list[dict[str, Any]], int]:
        """Hearings by start (``committee``, ``session``, ``starts_from``, ``starts_before``),
        and how many match in all."""
        found: tuple[list[dict[str, Any]], int] = await self._client.read_with_total(
            "/api/v1/hearings", caller, limit=limit, **filters
        )
        return found

    async def meetings(
        self, caller: Caller, *, limit: int = 500, **filters: Any
    ) -> tuple[list[dict[str, Any]], int]:
        """Meetings, latest first (``committee``, ``held_from``, ``held_before``: days)."""
        found: tuple[list[dict[str, Any]], int] = await self._client.read_with_total(
            "/api/v1/meetings", caller, limit=limit, **filters
        )
        return found

    async def meeting(self, caller: Caller, meeting_id: str) -> dict[str, Any]:
        found: dict[str, Any] = await self._client.read(f"/api/v1/meetings/{meeting_id}", caller)
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
