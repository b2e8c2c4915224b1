"""One address for several broker nodes, as a TCP load balancer gives in production.

Each new client connection goes to the next node in turn that accepts it; bytes are
copied both ways until either side closes. When a node stops, RabbitMQ closes its client
connections; the clients reconnect to the same address and reach a node that is up. For
local runs and tests of :class:`~workplan.local_run.rabbit_cluster.LocalRabbitCluster`
(the services take one AMQP URL). It runs its own event loop in a thread, so it serves
both synchronous and asynchronous callers.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Sequence

CONNECT_TIMEOUT = 2.0
CHUNK = 65_536


class FrontDoor:
    def __init__(self, ports: Sequence[int], host: str = "127.0.0.1") -> None:
        if not ports:
            raise ValueError("a front door needs at least one node")
        self.host = host
        self.ports = list(ports)
        self.port = 0
        self.opened = 0
        """Connections carried so far (a client reconnecting counts again)."""
        self._next = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[asyncio.StreamWriter] = set()

    def amqp_url(self, user: str = "guest", password: str = "guest") -> str:  # noqa: S107
        return f"amqp://{user}:{password}@{self.host}:{self.port}/"

    def start(self) -> None:
        """Listen on a free port (``self.port``); returns once it accepts connections."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                self._server = loop.run_until_complete(
                    asyncio.start_server(self._handle, self.host, 0)
                )
                self.port = int(self._server.sockets[0].getsockname()[1])
            except BaseException as exc:
                failure.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=serve, name="front-door", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise failure[0]

    def stop(self) -> None:
        """Stop listening and cut every connection it carries."""
        loop = self._loop
        if loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._close(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(timeout=10)
        self._loop = None

    def __enter__(self) -> FrontDoor:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._connections):
            writer.close()

    async def _handle(self, client_in: asyncio.StreamReader, client: asyncio.StreamWriter) -> None:
        upstream = await self._open_next()
        if upstream is None:  # no node accepts: the client sees the connection refused-ish
            client.close()
            return
        node_in, node = upstream
        self.opened += 1
        self._connections.update((client, node))
        try:
            await asyncio.gather(_copy(client_in, node), _copy(node_in, client))
        finally:
            for writer in (client, node):
                self._connections.discard(writer)
                writer.close()

    async def _open_next(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        for _ in range(len(self.ports)):
            port = self.ports[self._next % len(self.ports)]
            self._next += 1
            with contextlib.suppress(OSError, TimeoutError):
                return await asyncio.wait_for(
                    asyncio.open_connection(self.host, port), CONNECT_TIMEOUT
                )
        return None


async def _copy(source: asyncio.StreamReader, target: asyncio.StreamWriter) -> None:
    """Copy until the source ends; then end the target too (the other side follows)."""
    try:
        while data := await source.read(CHUNK):
            target.write(data)
            await target.drain()
    except (OSError, ConnectionError):
        pass
    finally:
        target.close()
