"""What every service's ``env.py`` runs: migrations of one schema, on the async engine.

Each history lives in its own schema (``version_table_schema``), autogenerate looks only
at that schema, and the schema is created on first upgrade.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from alembic import context
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine


def run(schema: str, metadata: MetaData) -> None:
    config = context.config
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("sqlalchemy.url is not set for the migration environment")
    if context.is_offline_mode():
        context.configure(
            url=url,
            target_metadata=metadata,
            version_table_schema=schema,
            literal_binds=True,
            include_schemas=True,
            include_name=_only(schema),
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_online(url, schema, metadata))


async def _online(url: str, schema: str, metadata: MetaData) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_migrate, schema, metadata)
            await connection.commit()
    finally:
        await engine.dispose()


def _migrate(connection: Connection, schema: str, metadata: MetaData) -> None:
    connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table_schema=schema,
        include_schemas=True,
        include_name=_only(schema),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _only(schema: str) -> Callable[[str | None, str, object], bool]:
    def include_name(name: str | None, type_: str, _parent: object) -> bool:
        return name == schema if type_ == "schema" else True

    return include_name
