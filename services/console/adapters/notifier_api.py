"""The notifier's HTTP API as the console uses it."""

from __future__ import annotations

import uuid

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
