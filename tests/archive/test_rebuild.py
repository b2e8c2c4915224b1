"""``workplan archive rebuild`` gives exactly the read models live ingest gave."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from rich.progress import Progress
from sqlalchemy import text

from services.archive.entrypoints.cli import run_rebuild, run_reindex
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


async def search_documents(engine) -> dict[int, str]:
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT position, search::text FROM archive.events"))
        return {row[0]: row[1] for row in rows.all()}


async def test_rebuild_reindexes_documents_of_older_rules_as_live_ingest_writes_them(
    archive_app, archive_client, archive_db, publisher, archive_topology, archive_settings, reader
):
    item_id = uuid.uuid4()
    events = [
        item_created(item_id, time=T0, title={"az": "Xocalıya ədalət", "en": "Hearings"}),
        hearing_scheduled(uuid.uuid4(), item_id, time=T0, title={"az": "Komitəsinin iclası"}),
        custom_event(
            REGISTRY_SOURCE,
            "gov.registry.note.v1",
            {"note": "İstanbulda", "classification": "public"},
            time=T0,
        ),
    ]
    await publish_and_wait(publisher, archive_topology, archive_db, events)
    live = await search_documents(archive_db)
    async with archive_db.begin() as connection:  # documents as an older version made them
        await connection.execute(
            text("UPDATE archive.events SET search = to_tsvector('simple', envelope ->> 'id')")
        )
        await connection.execute(
            text("UPDATE archive.items SET search = to_tsvector('simple', 'old')")
        )
    found = await archive_client.get("/api/v1/search?q=xocali", headers=reader)
    assert found.json() == []

    with Progress() as progress:
        done = await run_reindex(archive_settings, progress)
        assert progress.tasks[0].completed == progress.tasks[0].total == len(events)
    assert (done.events, done.changed) == (len(events), len(events))
    assert await search_documents(archive_db) == live
    assert (await run_reindex(archive_settings)).changed == 0  # nothing left to change
    await run_rebuild(archive_settings)

    found = await archive_client.get("/api/v1/search?q=xocali&kind=item", headers=reader)
    assert [(r["id"], r["match"]) for r in found.json()] == [(str(item_id), "stemmed")]
    for word in ("komitə", "istanbul", "hearing"):
        found = await archive_client.get(f"/api/v1/events?q={word}", headers=reader)
        assert len(found.json()) == 1, word
