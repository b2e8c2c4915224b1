"""Async engine and sessions on asyncpg; one engine per service process."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from shared.db.pool import asyncpg_dsn


def create_engine(
    url: str,
    *,
    application_name: str,
    pool_size: int = 10,
    custom_plans: bool = True,
    pre_ping: bool = True,
) -> AsyncEngine:
    """An engine whose connections name the service.

    ``custom_plans`` (``plan_cache_mode=force_custom_plan``): asyncpg prepares statements,
    and after five runs PostgreSQL may switch to a generic plan that is far slower for
    skewed filters (the archive's searches). Where statements look rows up by key and
    write them, a generic plan is as good and saves planning each time: ``False``.

    ``pre_ping``: a round trip checks every connection as it is taken from the pool, so a
    request after a database restart does not fail. Where every use of the engine is
    retried through outages anyway (the notifier's intake and deliveries), ``False``.

    ``jit=off``: a query over many partitions with a low row estimate per partition (the
    archive's newest-first text search) costs more than ``jit_above_cost`` while reading a
    few rows; compiling it took ~270 ms of a 1 ms query.
    """
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=pre_ping,
        connect_args={
            "server_settings": {
                "application_name": application_name,
                "plan_cache_mode": "force_custom_plan" if custom_plans else "auto",
                "jit": "off",
            }
        },
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def ping(engine: AsyncEngine) -> None:
    """The database answers (raises if not)."""
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


__all__ = ["asyncpg_dsn", "create_engine", "create_session_factory", "ping"]
