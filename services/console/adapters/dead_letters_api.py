"""Each service's dead letters over its HTTP API (``<service>:admin``): the console never
talks to RabbitMQ itself."""

from __future__ import annotations

from typing import Any

from services.console.adapters.service_client import Caller, ServiceClient


class DeadLettersApi:
    def __init__(self, clients: dict[str, ServiceClient]) -> None:
        self._clients = clients

    @property
    def services(self) -> list[str]:
        return list(self._clients)

    async def letters(self, caller: Caller, service: str, limit: int = 200) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self._clients[service].read(
            "/api/v1/dead-letters", caller, limit=limit
        )
        return found

    async def replay(self, caller: Caller, service: str, message_ids: list[str] | None) -> int:
        body = {"all": True} if message_ids is None else {"message_ids": message_ids}
        done = await self._clients[service].change(
            "POST", "/api/v1/dead-letters/replay", caller, body
        )
        return int(done["replayed"])
