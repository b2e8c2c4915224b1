"""Archiving a batch of events: each stored once, the read models moved forward, never back."""

from __future__ import annotations

from collections.abc import Sequence

from services.archive.domain.projections import latest
from services.archive.domain.records import ArchivedEvent
from services.archive.handlers.ports import ArchiveWriter
from shared.messaging.outcome import Outcome


async def archive_batch(records: Sequence[ArchivedEvent], writer: ArchiveWriter) -> list[Outcome]:
    """Archive the events; one outcome per record, in order.

    A repeat of an event already archived, or a second copy in the same batch, is a
    ``"duplicate"``. Of several events about one subject only the highest ``sequence``
    is projected; the writer applies it only over a lower stored version.
    """
    first: dict[tuple[str, str], ArchivedEvent] = {}
    for record in records:
        first.setdefault(record.key, record)
    unique = list(first.values())
    projections = latest(record.projection for record in unique if record.projection)
    fresh = await writer.append(unique, projections)
    outcomes: list[Outcome] = []
    claimed: set[tuple[str, str]] = set()
    for record in records:
        new = record.key in fresh and record.key not in claimed
        claimed.add(record.key)
        outcomes.append("applied" if new else "duplicate")
    return outcomes
