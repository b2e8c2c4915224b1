"""Calendar feeds: make one (for oneself, or as an administrator for someone else), list
them with their last use, revoke one, and read one by its token."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from services.archive.domain.errors import BadQuery, Forbidden, NotFound
from services.archive.domain.feeds import (
    CalendarFeed,
    FeedFilters,
    IssuedFeed,
    looks_like_token,
    new_token,
    token_hash,
)
from services.archive.handlers import queries
from services.archive.handlers.filters import Viewer
from services.archive.handlers.ports import ArchiveQueries, FeedStore

NO_SUCH_FEED = "no calendar feed at this address (it may have been revoked)"


@dataclass(frozen=True)
class Actor:
    """Who asks: their subject, and what their token allows."""

    subject: str
    admin: bool
    """May make, list and revoke anyone's feeds (``archive:admin``)."""
    cleared: bool
    """May see restricted items (``archive:restricted``)."""


@dataclass(frozen=True)
class CreateFeed:
    name: str
    filters: FeedFilters
    owner: str | None = None
    """Whose feed it is; another than the actor needs ``archive:admin``."""
    restricted: bool | None = None
    """Show restricted items: ``None`` follows the actor's clearance; ``True`` needs it."""


async def create_feed(
    command: CreateFeed, actor: Actor, store: FeedStore, archive: ArchiveQueries
) -> IssuedFeed:
    owner = command.owner or actor.subject
    if owner != actor.subject and not actor.admin:
        raise Forbidden("making a feed for someone else needs the 'archive:admin' scope")
    if command.restricted and not actor.cleared:
        raise Forbidden("a feed with restricted items needs the 'archive:restricted' scope")
    cleared = actor.cleared if command.restricted is None else command.restricted
    viewer = Viewer(principal=actor.subject, cleared=cleared)
    for item_id in command.filters.item_ids:
        try:
            await queries.get_state(archive, "item", str(item_id), viewer, None)
        except NotFound as exc:
            raise BadQuery(f"item {item_id} is not in the archive (or is restricted)") from exc
    token = new_token()
    feed = CalendarFeed(
        id=uuid.uuid4(),
        owner=owner,
        name=command.name,
        filters=command.filters,
        cleared=cleared,
        created_by=actor.subject,
    )
    return IssuedFeed(await store.add(feed, token_hash(token)), token)


async def list_feeds(
    actor: Actor, store: FeedStore, owner: str | None = None
) -> list[CalendarFeed]:
    """The actor's own feeds; an administrator sees everyone's (or one owner's)."""
    if not actor.admin:
        if owner not in (None, actor.subject):
            raise Forbidden("listing someone else's feeds needs the 'archive:admin' scope")
        owner = actor.subject
    return await store.find(owner)


async def revoke_feed(feed_id: uuid.UUID, actor: Actor, store: FeedStore) -> CalendarFeed:
    """Revoke a feed: its address answers 404 from now on. Revoking twice is harmless."""
    feed = await store.get(feed_id)
    if feed is None or (feed.owner != actor.subject and not actor.admin):
        raise NotFound(f"no calendar feed {feed_id}")
    if not feed.active:
        return feed
    revoked = await store.revoke(feed_id)
    if revoked is None:  # pragma: no cover - it was there a moment ago
        raise NotFound(f"no calendar feed {feed_id}")
    return revoked


async def open_feed(token: str, store: FeedStore) -> CalendarFeed:
    """The active feed of a token, its use recorded; anything else is one 404 (an address
    that never existed and a revoked one look alike)."""
    if not looks_like_token(token):
        raise NotFound(NO_SUCH_FEED)
    feed = await store.by_token_hash(token_hash(token))
    if feed is None:
        raise NotFound(NO_SUCH_FEED)
    await store.touch(feed.id)
    return feed
