"""The archive's HTTP API as the console uses it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.console.adapters.service_client import Caller, Download, ServiceClient


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

    async def search(self, caller: Caller, **query: Any) -> list[dict[str, Any]]:
        """Ranked matches with highlighted snippets (``q``, ``kind``, ``time_from``,
        ``time_to``, ``limit``, ``prefix``: the last word as the start of a word)."""
        found: list[dict[str, Any]] = await self._client.read("/api/v1/search", caller, **query)
        return found

    async def search_csv(self, caller: Caller, **query: Any) -> Download:
        return await self._client.download("/api/v1/search", caller, format="csv", **query)

    async def report(self, caller: Caller, committee: str, session: str) -> dict[str, Any]:
        """A session's plan: items by status, each with its hearings and meetings."""
        found: dict[str, Any] = await self._client.read(
            "/api/v1/reports/work-plan", caller, committee=committee, session=session
        )
        return found

    async def report_csv(self, caller: Caller, committee: str, session: str) -> Download:
        return await self._client.download(
            "/api/v1/reports/work-plan", caller, committee=committee, session=session,
            format="csv",
        )  # fmt: skip

    async def hearing_file(self, caller: Caller, hearing_id: str) -> Download:
        """One hearing as an iCalendar file (the same UID and SEQUENCE as in the feeds)."""
        return await self._client.download(f"/api/v1/hearings/{hearing_id}/calendar.ics", caller)

    async def feeds(self, caller: Caller) -> list[dict[str, Any]]:
        """The caller's own calendar feeds, revoked ones too, with their last use."""
        found: list[dict[str, Any]] = await self._client.read(
            "/api/v1/feeds", caller, owner=caller.subject
        )
        return found

    async def create_feed(self, caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
        """A new feed; the answer's ``url`` is its secret address, shown only now."""
        created: dict[str, Any] = await self._client.change("POST", "/api/v1/feeds", caller, body)
        return created

    async def revoke_feed(self, caller: Caller, feed_id: str) -> None:
        await self._client.change("DELETE", f"/api/v1/feeds/{feed_id}", caller)
