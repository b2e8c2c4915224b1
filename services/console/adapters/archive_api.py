"""The archive's HTTP API as the console uses it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.console.adapters.service_client import Caller, ServiceClient


class ArchiveApi:
    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    async def item(
        self, caller: Caller, item_id: str, as_of: datetime | None = None
    ) -> dict[str, Any]:
        """The item as the archive recorded it, with its timeline (optionally as of then)."""
        found: dict[str, Any] = await self._client.read(
            f"/api/v1/items/{item_id}",
            caller,
            as_of=as_of.isoformat() if as_of else None,
        )
        return found
