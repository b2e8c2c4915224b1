"""``workplan archive rebuild`` gives exactly the read models live ingest gave."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from rich.progress import Progress
from sqlalchemy import text

from services.archive.entrypoints.cli import run_rebuild
from tests.archive.conftest import REGISTRY_SOURCE, publish_and_wait
from tests.archive.events import (
    custom_event,
    hearing_cancelled,
    hearing_rescheduled,
    hearing_scheduled,
    item_created,
    item_status,
    meeting_held,
)
from tests.conftest import EXTERNAL_SOURCE

T0 = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
TABLES = {
    "items": "item_id",
    "hearings": "hearing_id",
    "meetings": "source, meeting_id",
    "organizations": "code, item_id, classification",
}


async def snapshot(engine) -> dict[str, list[dict]]:
    found = {}
    async with engine.connect() as connection:
        for table, key in TABLES.items():
            rows = await connection.execute(text(f"SELECT * FROM archive.{table} ORDER BY {key}"))
            found[table] = [dict(row._mapping) for row in rows]
    return found


async def test_rebuild_from_the_log_equals_live_ingest(
    archive_app, archive_db, publisher, archive_topology, archive_settings
):
    events = []
    for index in range(6):
        item_id, hearing_id = uuid.uuid4(), uuid.uuid4()
        at = T0 + timedelta(days=index * 20)  # across several monthly partitions
        events += [
            item_status(item_id, "in_progress", sequence=2, time=at + timedelta(hours=2)),
            item_created(item_id, time=at),  # stale on arrival
            hearing_scheduled(hearing_id, item_id, time=at),
            hearing_rescheduled(hearing_id, item_id, sequence=2, time=at + timedelta(hours=1)),
            hearing_cancelled(hearing_id, item_id, sequence=4, time=at + timedelta(hours=3)),
            meeting_held(EXTERNAL_SOURCE, time=at, meeting_id=f"m-{index}", item_id=item_id),
            meeting_held(
                EXTERNAL_SOURCE, time=at, meeting_id=f"m-{index}", sequence=2, location="Baku"
            ),
        ]
    events.append(custom_event(REGISTRY_SOURCE, "gov.registry.note.v1", {"x": "y"}, time=T0))
    await publish_and_wait(publisher, archive_topology, archive_db, events)
    live = await snapshot(archive_db)
    assert len(live["items"]) == len(live["hearings"]) == len(live["meetings"]) == 6
    assert {row["status"] for row in live["hearings"]} == {"cancelled"}
    assert {row["status"] for row in live["items"]} == {"in_progress"}

    with Progress() as progress:
        replayed = await run_rebuild(archive_settings, progress)
        [task] = progress.tasks
        assert task.completed == task.total == replayed
    assert replayed == len(events) - 1  # the unknown type has no read model
    assert await snapshot(archive_db) == live
