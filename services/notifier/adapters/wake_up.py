"""``LISTEN notifier_deliveries``: wake the delivery workers the moment deliveries commit.

A trigger on ``notifier.deliveries`` sends the notification (see the migration). The
workers poll as well, so a lost notification or a dropped connection only delays.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg

log = logging.getLogger(__name__)

CHANNEL = "notifier_deliveries"


class DeliveryWakeUp:
    def __init__(self, dsn: str, *, retry_seconds: float = 1.0) -> None:
        self._dsn = dsn
        self._retry = retry_seconds
        self.event = asyncio.Event()

    async def listen(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                connection = await asyncpg.connect(self._dsn)
                try:
                    await connection.add_listener(CHANNEL, self._notified)
                    self.event.set()  # catch up on what was queued while not listening
                    while not stop.is_set() and not connection.is_closed():
                        with contextlib.suppress(TimeoutError):
                            async with asyncio.timeout(self._retry):
                                await stop.wait()
                finally:
                    with contextlib.suppress(Exception):
                        await connection.close(timeout=2)
            except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
                log.info("deliveries LISTEN connection lost", extra={"error": repr(exc)})
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._retry):
                        await stop.wait()

    def _notified(self, *_: object) -> None:
        self.event.set()
