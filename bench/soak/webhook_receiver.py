"""A webhook receiver the soak can stop and start: it notes each delivery by ``webhook-id``.

Enough HTTP/1.1 for the notifier's client (keep-alive, ``Content-Length`` bodies). Every
request is answered ``204``; a stop closes the listening socket and cuts the connections
still open, as a receiver going down would, and a start listens on the same port again.
The Standard Webhooks signature is not checked here (the notifier's own tests do); the
soak counts arrivals: the same ``webhook-id`` twice is a delivery made twice.
"""

from __future__ import annotations

import asyncio
import time


class WebhookReceiver:
    def __init__(self, port: int = 0) -> None:
        self.received: list[tuple[float, str]] = []
        """(wall-clock time the request was answered, its ``webhook-id``), in order."""
        self.port = port
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/workplan"

    @property
    def running(self) -> bool:
        return self._server is not None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._connection, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for writer in list(self._connections):
                writer.close()
            await self._server.wait_closed()
            self._server = None

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._connections.add(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                headers = _headers(head)
                await reader.readexactly(int(headers.get("content-length", "0")))
                self.received.append((time.time(), headers.get("webhook-id", "")))
                writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            self._connections.discard(writer)
            writer.close()


def _headers(head: bytes) -> dict[str, str]:
    lines = head.decode("latin-1").split("\r\n")[1:]
    found = {}
    for line in lines:
        name, _, value = line.partition(":")
        if name:
            found[name.strip().lower()] = value.strip()
    return found
