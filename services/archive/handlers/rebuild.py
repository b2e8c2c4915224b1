"""Rebuild every read model from the log: the same projections as live ingest, replayed."""

from __future__ import annotations

from collections.abc import Callable

from services.archive.domain.projections import latest, project_logged
from services.archive.handlers.ports import ReadModelRebuild

Progress = Callable[[int, int], None]
"""Called with (events replayed so far, events in all)."""


async def rebuild_read_models(
    store: ReadModelRebuild, progress: Progress | None = None, batch_size: int = 2000
) -> int:
    """Drop the read models and replay every known event of the log; returns the count."""
    async with store:
        total = await store.reset()
        done = 0
        async for batch in store.replay(batch_size):
            logged = sorted(batch, key=lambda event: event.position)
            positions = {}
            projections = []
            for event in logged:
                projection = project_logged(event.envelope, event.time)
                if projection is not None:
                    projections.append(projection)
                    positions[projection.event_key] = (event.time, event.position)
            await store.apply(
                [(chosen, *positions[chosen.event_key]) for chosen in latest(projections)]
            )
            done += len(batch)
            if progress is not None:
                progress(done, total)
        await store.count_organizations()
    return done
