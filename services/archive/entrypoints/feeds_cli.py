"""``workplan feeds create|list|revoke``: calendar feed addresses, for an administrator.

The command line acts with the database's authority: it may make a feed for anyone (a
person, or a shared mailbox), and adds restricted items only when told ``--restricted``
(it cannot know the owner's clearance; whoever runs it vouches for it).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from services.archive.adapters.feed_store import SqlFeedStore
from services.archive.adapters.repositories import SqlArchiveQueries
from services.archive.domain.errors import ArchiveError
from services.archive.domain.feeds import CalendarFeed, FeedFilters
from services.archive.handlers import feeds
from services.archive.handlers.feeds import Actor, CreateFeed
from services.archive.settings import ArchiveSettings
from shared.db.engine import create_engine
from shared.runtime.listing import Column, print_document, print_listing

T = TypeVar("T")
CLI_ACTOR = "workplan feeds (command line)"
app = typer.Typer(
    help="Calendar feed addresses (subscribe in a calendar program).", no_args_is_help=True
)
console = Console()
errors = Console(stderr=True)
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
LISTED = (
    Column("id", "id", copyable=True),
    Column("owner", "owner", copyable=True),
    Column("name", "name"),
    Column("filters", "filters"),
    Column("restricted", "restricted"),
    Column("last used", "last used"),
    Column("revoked", "revoked"),
)


def _run(work: Callable[[SqlFeedStore, SqlArchiveQueries], Awaitable[T]]) -> T:
    async def main() -> T:
        settings = ArchiveSettings()
        engine = create_engine(settings.database_url.get_secret_value(), application_name="cli")
        try:
            return await work(SqlFeedStore(engine), SqlArchiveQueries(engine))
        finally:
            await engine.dispose()

    try:
        return asyncio.run(main())
    except ArchiveError as exc:
        errors.print(f"refused: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from exc


ADMIN = Actor(subject=CLI_ACTOR, admin=True, cleared=True)


@app.command("create")
def create(  # noqa: PLR0917 - a command takes one argument per option
    owner: Annotated[str, typer.Option(help="Whose feed: a person's subject or a mailbox.")],
    name: Annotated[
        str, typer.Option(help="The calendar's name.")
    ] = "Workplan: hearings and meetings",
    committee: Annotated[str | None, typer.Option(help="Only this committee.")] = None,
    organization: Annotated[str | None, typer.Option(help="Only with this counterpart.")] = None,
    item: Annotated[
        list[uuid.UUID] | None, typer.Option("--item", help="An item to follow (repeatable).")
    ] = None,
    restricted: Annotated[
        bool, typer.Option(help="Include restricted items (the owner is cleared).")
    ] = False,
    as_json: Json = False,
) -> None:
    """Make a feed; prints its secret address (shown only now)."""
    settings = ArchiveSettings()
    command = CreateFeed(
        name=name,
        filters=FeedFilters(
            committee=committee, organization=organization, item_ids=tuple(item or ())
        ),
        owner=owner,
        restricted=restricted,
    )
    issued = _run(lambda store, queries: feeds.create_feed(command, ADMIN, store, queries))
    url = f"{settings.archive_public_url.rstrip('/')}/feeds/{issued.token}.ics"
    if as_json:
        print_document({**document(issued.feed), "url": url})
        return
    typer.echo(url)


@app.command("list")
def list_command(
    owner: Annotated[str | None, typer.Option(help="Only this owner's feeds.")] = None,
    as_json: Json = False,
) -> None:
    """Every feed (or one owner's) with its filters and last use; revoked ones too."""
    found = _run(lambda store, _queries: feeds.list_feeds(ADMIN, store, owner))
    rows = [
        {
            **document(feed),
            "filters": _filters(feed.filters),
            "last used": _moment(feed.last_used_at),
            "revoked": _moment(feed.revoked_at),
        }
        for feed in found
    ]
    print_listing([document(feed) for feed in found] if as_json else rows, LISTED, as_json=as_json)
    if not as_json:
        console.print(f"{len(found)} feed(s)")


@app.command("revoke")
def revoke(feed_id: Annotated[uuid.UUID, typer.Argument(help="The feed's id.")]) -> None:
    """Revoke a feed: its address answers 404 from now on."""
    feed = _run(lambda store, _queries: feeds.revoke_feed(feed_id, ADMIN, store))
    typer.echo(f"revoked {feed.id} ({feed.owner}: {feed.name})")


def document(feed: CalendarFeed) -> dict[str, Any]:
    return {
        "id": str(feed.id),
        "owner": feed.owner,
        "name": feed.name,
        "committee": feed.filters.committee,
        "organization": feed.filters.organization,
        "items": [str(item) for item in feed.filters.item_ids],
        "restricted": feed.cleared,
        "created_by": feed.created_by,
        "created_at": _iso(feed.created_at),
        "last_used_at": _iso(feed.last_used_at),
        "revoked_at": _iso(feed.revoked_at),
        "active": feed.active,
    }


def _filters(filters: FeedFilters) -> str:
    parts = [f"committee={filters.committee}"] if filters.committee else []
    if filters.organization:
        parts.append(f"organization={filters.organization}")
    parts.extend(f"item={item}" for item in filters.item_ids)
    return " ".join(parts) or "everything"


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def _moment(moment: Any) -> str:
    return moment.isoformat(timespec="seconds") if moment is not None else "-"
