"""Every migration is reversible: down to nothing and up again leaves the same schema."""

from __future__ import annotations

import asyncpg
from sqlalchemy.engine import make_url

from migrations.runner import SERVICES, downgrade, upgrade


async def tables(url: str, schema: str) -> list[str]:
    connection = await asyncpg.connect(
        make_url(url).set(drivername="postgresql").render_as_string(False)
    )
    try:
        rows = await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename", schema
        )
        return [row["tablename"] for row in rows]
    finally:
        await connection.close()


async def test_each_service_schema_downgrades_to_base_and_upgrades_again(server_urls, run_id):
    server = make_url(server_urls[0]).set(drivername="postgresql+asyncpg")
    admin = server.set(drivername="postgresql", database="postgres").render_as_string(False)
    name = f"workplan_test_{run_id}_migrations"
    connection = await asyncpg.connect(admin)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        for service in SERVICES:
            before = await tables(url, service)
            assert {"outbox", "inbox", "accounts"} & set(before)
            downgrade(url, service, "base")
            assert await tables(url, service) == ["alembic_version"]
            upgrade(url, (service,))
            assert await tables(url, service) == before
    finally:
        connection = await asyncpg.connect(admin)
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.close()
