"""A pool of asyncpg connections for the statements on a service's hot path.

SQLAlchemy costs ~150 µs of CPU per statement on top of asyncpg's ~25 µs, and its pool
check-out another ~100 µs; a command that makes three statements spent more in the
library than in PostgreSQL. Where a service writes SQL itself, it runs it on this pool:

- made on first use, on the event loop that uses it (nothing is built at import time);
- JSON and JSONB go in and come out as Python values (``json`` codecs; going in, UUIDs,
  times and days are written as text, as PostgreSQL reads them);
- a connection handed back is not reset with a round trip (the pool's default runs
  ``RESET ALL``, ``UNLISTEN`` …): nothing here changes session state, and a connection
  handed back inside a transaction is still rolled back;
- every connection names the service; PostgreSQL chooses between generic and custom plans
  as it does by default (``plan_cache_mode=auto``): the statements here look rows up by
  key and write them, where a generic plan is as good and saves planning each time (the
  archive's searches, where it is not, run on the SQLAlchemy engine with custom plans).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

import asyncpg

CONNECTION_LOST = (
    asyncpg.PostgresConnectionError,
    asyncpg.OperatorInterventionError,
    asyncpg.InterfaceError,
    OSError,
)
"""The connection broke or the server is going away: nothing a statement did is known."""


def asyncpg_dsn(url: str) -> str:
    """The plain ``postgresql://`` DSN asyncpg takes, from a SQLAlchemy URL."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


class Database:
    def __init__(self, url: str, *, application_name: str, size: int = 10) -> None:
        self._dsn = asyncpg_dsn(url)
        self._application_name = application_name
        self._size = size
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        connection = await self.acquire()
        try:
            yield connection
        finally:
            await self.release(connection)

    async def acquire(self) -> asyncpg.Connection:
        pool = self._pool or await self._open()
        return await pool.acquire()

    async def release(self, connection: asyncpg.Connection) -> None:
        """Hand a connection back (a broken one is closed, and replaced when next needed)."""
        if self._pool is not None:
            await self._pool.release(connection)

    async def expire(self) -> None:
        """A connection broke: the others are likely broken too (the server restarted), so
        each is replaced when next handed back rather than found broken by a request."""
        if self._pool is not None:
            await self._pool.expire_connections()

    async def ping(self) -> None:
        """The database answers (raises if not)."""
        async with self.connection() as connection:
            await connection.fetchval("SELECT 1")

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    async def _open(self) -> asyncpg.Pool:
        async with self._opening:
            if self._pool is None:
                self._pool = await asyncpg.create_pool(
                    self._dsn,
                    min_size=1,
                    max_size=self._size,
                    init=_json_codecs,
                    reset=keep_session,
                    server_settings={
                        "application_name": self._application_name,
                        "plan_cache_mode": "auto",
                        "jit": "off",  # as the engines: compiling costs more than it saves
                    },
                )
            return self._pool


async def _json_codecs(connection: asyncpg.Connection) -> None:
    for name in ("json", "jsonb"):
        await connection.set_type_codec(
            name, encoder=_dumps, decoder=json.loads, schema="pg_catalog"
        )


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_as_text)


def _as_text(value: object) -> str:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, date):  # and datetime
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


async def keep_session(_connection: asyncpg.Connection) -> None:
    """Nothing to reset: an open transaction was already rolled back by asyncpg."""
