"""What the handlers need from storage; the adapters implement it on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, Self

from services.archive.domain.feeds import CalendarFeed
from services.archive.domain.projections import Kind, Projection
from services.archive.domain.records import ArchivedEvent, SearchColumns
from services.archive.domain.text_query import Match, TextQuery, WordForms
from services.archive.handlers.filters import (
    AccessLogFilter,
    Cursor,
    EventFilter,
    Page,
    StateFilter,
    Viewer,
)

Row = dict[str, Any]


class ArchiveWriter(Protocol):
    async def append(
        self, records: Sequence[ArchivedEvent], projections: Sequence[Projection]
    ) -> set[tuple[str, str]]:
        """In one transaction: record the events not seen before (inbox) in the log, apply
        the projections of those to the read models; return the keys that were new."""


@dataclass(frozen=True)
class LoggedEvent:
    """An event read back from the log: its JSON, its time, its position."""

    envelope: str
    time: datetime
    position: int


class ReadModelRebuild(Protocol):
    """One transaction that empties the read models and replays the log into them."""

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: Any) -> None: ...
    async def reset(self) -> int:
        """Empty the read models; return how many known events the log holds."""

    def replay(self, batch_size: int) -> AsyncIterator[list[LoggedEvent]]: ...
    async def apply(self, applied: Sequence[tuple[Projection, datetime, int]]) -> None: ...
    async def count_organizations(self) -> None: ...


class SearchReindex(Protocol):
    """The log's events in order, and a write of their search documents."""

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: Any) -> None: ...
    async def count(self) -> int:
        """How many events the log holds."""

    def events(self, batch_size: int) -> AsyncIterator[list[LoggedEvent]]: ...
    async def write(self, documents: Sequence[tuple[datetime, int, SearchColumns]]) -> int:
        """Store the documents of the events (time, position); returns how many changed.
        Each call commits on its own."""


class ArchiveQueries(Protocol):
    """Reads of the log and the read models; rows are plain dicts."""

    async def word_forms(self, words: Sequence[str]) -> list[WordForms]:
        """Each word as PostgreSQL splits (folded, ``simple``) and stems it."""

    async def events(
        self,
        where: EventFilter,
        viewer: Viewer,
        *,
        tsquery: str | None,
        limit: int,
        cursor: Cursor | None = None,
        oldest_first: bool = False,
    ) -> list[Row]: ...
    async def ranked_events(
        self,
        where: EventFilter,
        viewer: Viewer,
        *,
        query: TextQuery,
        strength: Match,
        candidates: int,
    ) -> list[Row]:
        """The newest ``candidates`` matches of ``strength`` (or stronger), each with its
        ``tier`` (0 exact, 1 stemmed, 2 prefix) and ``rank``."""

    async def states(
        self,
        kind: Kind,
        where: StateFilter,
        viewer: Viewer,
        page: Page,
        *,
        tsquery: str | None,
        key: str | None = None,
    ) -> list[Row]: ...
    async def count_states(
        self, kind: Kind, where: StateFilter, viewer: Viewer, *, tsquery: str | None
    ) -> int: ...
    async def ranked_states(
        self,
        kind: Kind,
        viewer: Viewer,
        *,
        query: TextQuery,
        strength: Match,
        candidates: int,
    ) -> list[Row]:
        """As :meth:`ranked_events`, of the most recently changed items, hearings or meetings;
        their state as JSON text, ``state_json``."""

    async def timeline(
        self, item_id: uuid.UUID, viewer: Viewer, as_of: datetime | None
    ) -> list[Row]: ...
    async def organization(self, code: str, viewer: Viewer) -> Row | None: ...


class AccessLog(Protocol):
    """Every answer that showed restricted data: who, when, which request, which records."""

    async def record(
        self, *, principal: str, method: str, path: str, query: str, subjects: Sequence[str]
    ) -> None: ...
    async def find(self, where: AccessLogFilter, page: Page) -> list[Row]:
        """Entries matching the filter, newest first."""


class FeedStore(Protocol):
    """Calendar feeds and the hashes of their tokens."""

    async def add(self, feed: CalendarFeed, token_hash: str) -> CalendarFeed:
        """Store a new feed; returns it as stored (with its creation time)."""

    async def get(self, feed_id: uuid.UUID) -> CalendarFeed | None: ...
    async def by_token_hash(self, token_hash: str) -> CalendarFeed | None:
        """The active (not revoked) feed of that token, if any."""

    async def find(self, owner: str | None) -> list[CalendarFeed]:
        """Feeds of one owner, or of everyone; newest first, revoked ones too."""

    async def revoke(self, feed_id: uuid.UUID) -> CalendarFeed | None: ...
    async def touch(self, feed_id: uuid.UUID) -> None:
        """Record that the feed was read now."""

    async def session_zones(self) -> dict[tuple[str, str], str]:
        """The time zone of each (committee, session) the archive knows hearings of."""
