"""Re-index the log: every event's search document built again from its JSON as stored,
by the same rules as live ingest (after the rules change; the record itself never does)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from services.archive.domain.records import search_text
from services.archive.handlers.ports import SearchReindex

Progress = Callable[[int, int], None]
"""Called with (events re-indexed so far, events in all)."""


@dataclass(frozen=True)
class Reindexed:
    events: int
    changed: int


async def reindex_search(
    store: SearchReindex, progress: Progress | None = None, batch_size: int = 2000
) -> Reindexed:
    """Rebuild the search document of every logged event; returns how many were read and
    how many documents changed."""
    async with store:
        total = await store.count()
        done = changed = 0
        async for batch in store.events(batch_size):
            documents = [
                (event.time, event.position, search_text(_data(event.envelope)).columns())
                for event in batch
            ]
            changed += await store.write(documents)
            done += len(batch)
            if progress is not None:
                progress(done, total)
    return Reindexed(done, changed)


def _data(envelope: str) -> object:
    parsed = json.loads(envelope)
    return parsed.get("data") if isinstance(parsed, dict) else None
