"""Calendar feeds in PostgreSQL (``archive.calendar_feeds``)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from services.archive.adapters.orm import calendar_feeds
from services.archive.domain.feeds import CalendarFeed, FeedFilters

SESSION_ZONES = text(
    "SELECT DISTINCT ON (committee, session) committee, session, state ->> 'timezone' AS zone "
    "FROM archive.hearings WHERE committee IS NOT NULL AND session IS NOT NULL "
    "AND state ->> 'timezone' IS NOT NULL ORDER BY committee, session, updated_at DESC"
)
TOUCH_EVERY = "1 minute"
"""A feed polled more often records its last use at most this often."""


class SqlFeedStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(self, feed: CalendarFeed, token_hash: str) -> CalendarFeed:
        async with self._engine.begin() as connection:
            row = (
                await connection.execute(
                    insert(calendar_feeds)
                    .values(
                        id=feed.id,
                        token_hash=token_hash,
                        owner=feed.owner,
                        name=feed.name,
                        committee=feed.filters.committee,
                        organization=feed.filters.organization,
                        item_ids=list(feed.filters.item_ids),
                        cleared=feed.cleared,
                        created_by=feed.created_by,
                    )
                    .returning(*calendar_feeds.c)
                )
            ).one()
        return _feed(row._mapping)

    async def get(self, feed_id: uuid.UUID) -> CalendarFeed | None:
        return await self._one(select(calendar_feeds).where(calendar_feeds.c.id == feed_id))

    async def by_token_hash(self, token_hash: str) -> CalendarFeed | None:
        return await self._one(
            select(calendar_feeds).where(
                calendar_feeds.c.token_hash == token_hash, calendar_feeds.c.revoked_at.is_(None)
            )
        )

    async def find(self, owner: str | None) -> list[CalendarFeed]:
        statement = select(calendar_feeds).order_by(
            calendar_feeds.c.created_at.desc(), calendar_feeds.c.id
        )
        if owner is not None:
            statement = statement.where(calendar_feeds.c.owner == owner)
        async with self._engine.connect() as connection:
            return [_feed(row._mapping) for row in await connection.execute(statement)]

    async def revoke(self, feed_id: uuid.UUID) -> CalendarFeed | None:
        async with self._engine.begin() as connection:
            row = (
                await connection.execute(
                    update(calendar_feeds)
                    .where(calendar_feeds.c.id == feed_id)
                    .values(revoked_at=func.coalesce(calendar_feeds.c.revoked_at, func.now()))
                    .returning(*calendar_feeds.c)
                )
            ).one_or_none()
        return _feed(row._mapping) if row is not None else None

    async def touch(self, feed_id: uuid.UUID) -> None:
        column = calendar_feeds.c.last_used_at
        async with self._engine.begin() as connection:
            await connection.execute(
                update(calendar_feeds)
                .where(
                    calendar_feeds.c.id == feed_id,
                    column.is_(None) | (column < func.now() - text(f"interval '{TOUCH_EVERY}'")),
                )
                .values(last_used_at=func.now())
            )

    async def session_zones(self) -> dict[tuple[str, str], str]:
        async with self._engine.connect() as connection:
            rows = await connection.execute(SESSION_ZONES)
            return {(row.committee, row.session): row.zone for row in rows}

    async def _one(self, statement: Any) -> CalendarFeed | None:
        async with self._engine.connect() as connection:
            row = (await connection.execute(statement)).one_or_none()
        return _feed(row._mapping) if row is not None else None


def _feed(row: Any) -> CalendarFeed:
    return CalendarFeed(
        id=row["id"],
        owner=row["owner"],
        name=row["name"],
        filters=FeedFilters(
            committee=row["committee"],
            organization=row["organization"],
            item_ids=tuple(row["item_ids"] or ()),
        ),
        cleared=row["cleared"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        last_used_at=row["last_used_at"],
        revoked_at=row["revoked_at"],
    )
