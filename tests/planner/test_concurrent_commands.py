"""Commands that run at the same time on the same records, on the real PostgreSQL.

A command takes no lock by default: its commit writes only if every row it read is
unchanged, and otherwise it is decided again on fresh reads. These tests show what a
clerk relies on: no change is lost, every event of a record has its own sequence, a
hearing always follows its item's classification, and a command decided on a state that
changed meanwhile is decided again on the new one.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

import pytest
from sqlalchemy import text

from services.planner.adapters.unit_of_work import SqlUnitOfWork
from services.planner.bootstrap import Planner
from services.planner.domain.errors import Conflict
from services.planner.handlers.commands import ChangeItemStatus, ScheduleHearing
from services.planner.handlers.hearings import schedule_hearing
from services.planner.handlers.items import change_item_status
from services.planner.handlers.ports import ChangedMeanwhile
from tests.planner.test_api_rules import hearing
from tests.support import engine_of

ITEMS = "/api/v1/items"


async def outbox_of(planner: Planner, subject: str) -> list[tuple[str, int]]:
    async with engine_of(planner).connect() as connection:
        rows = await connection.execute(
            text("SELECT type, sequence FROM planner.outbox WHERE subject = :s ORDER BY position"),
            {"s": subject},
        )
        return [(row[0], row[1]) for row in rows]


async def test_concurrent_updates_of_one_item_lose_nothing_and_each_gets_its_own_sequence(
    client, staff, planner, sample_plan
):
    item_id = sample_plan["justice-for-khojaly-campaign"]

    responses = await asyncio.gather(
        *(
            client.patch(f"{ITEMS}/{item_id}", json={"tags": [f"tag-{n}"]}, headers=staff)
            for n in range(12)
        )
    )

    assert [r.status_code for r in responses] == [200] * 12, [r.text for r in responses]
    events = await outbox_of(planner, f"item/{item_id}")
    updated = [sequence for kind, sequence in events if kind == "workplan.item.updated.v1"]
    assert sorted(updated) == list(range(2, 14))  # after item.created (1): twelve, no gap
    assert updated == sorted(updated)  # and in the outbox in the order they committed
    final = (await client.get(f"{ITEMS}/{item_id}", headers=staff)).json()
    assert final["tags"] in [[f"tag-{n}"] for n in range(12)]


@pytest.mark.parametrize("round_", range(3))
async def test_hearings_scheduled_while_their_item_is_restricted_all_end_restricted(
    client, cleared_staff, planner, sample_plan, round_
):
    """The classification rule holds under concurrency: no hearing scheduled in the same
    moment as the reclassification stays public."""
    item_id = sample_plan["justice-for-khojaly-campaign"]
    day = 2 + round_ * 7

    async def schedule(n: int) -> int:
        body = hearing(day=day + n % 5, start=9 + n % 8, end=10 + n % 8, allow_overlap=True)
        response = await client.post(
            f"{ITEMS}/{item_id}/hearings", json=body, headers=cleared_staff
        )
        return response.status_code

    async def restrict() -> int:
        await asyncio.sleep(0.01)
        response = await client.patch(
            f"{ITEMS}/{item_id}", json={"classification": "restricted"}, headers=cleared_staff
        )
        return response.status_code

    *scheduled, restricted = await asyncio.gather(*(schedule(n) for n in range(16)), restrict())

    assert scheduled == [201] * 16
    assert restricted == 200
    async with engine_of(planner).connect() as connection:
        classifications = (
            await connection.execute(
                text("SELECT classification FROM planner.hearings WHERE item_id = :i"),
                {"i": uuid.UUID(item_id)},
            )
        ).scalars()
        assert set(classifications) == {"restricted"}


async def hearing_count(planner: Planner) -> int:
    async with engine_of(planner).connect() as connection:
        return int(await connection.scalar(text("SELECT count(*) FROM planner.hearings")) or 0)


class ItemCancelledAtCommit(SqlUnitOfWork):
    """A unit of work during whose first commit another clerk cancels the item."""

    def __init__(self, planner: Planner, item_id: uuid.UUID) -> None:
        super().__init__(planner.database, source=planner.source)
        self.planner, self.item_id, self.commits = planner, item_id, 0

    async def commit(self) -> None:
        self.commits += 1
        if self.commits == 1:
            cancel = ChangeItemStatus(self.item_id, "cancelled", "no longer planned", cleared=True)
            await change_item_status(cancel, self.planner.uow())
        await super().commit()


async def test_a_hearing_decided_on_an_item_cancelled_meanwhile_is_decided_again_and_refused(
    planner, sample_plan
):
    item_id = uuid.UUID(sample_plan["justice-for-khojaly-campaign"])
    command = ScheduleHearing(
        item_id=item_id,
        starts_at=datetime.fromisoformat("2026-03-12T11:00:00+04:00"),
        ends_at=datetime.fromisoformat("2026-03-12T13:00:00+04:00"),
        location="Hall 2",
        allow_overlap=True,
        cleared=True,
    )
    uow = ItemCancelledAtCommit(planner, item_id)
    before = await hearing_count(planner)

    with pytest.raises(Conflict, match="is cancelled; no hearing can be scheduled"):
        await schedule_hearing(command, uow)

    assert uow.commits == 1  # the second decision refused before committing
    assert await hearing_count(planner) == before
    assert [kind for kind, _ in await outbox_of(planner, f"item/{item_id}")][-1] == (
        "workplan.item.status_changed.v1"
    )


async def test_a_commit_on_rows_changed_meanwhile_writes_nothing(planner, sample_plan):
    item_id = uuid.UUID(sample_plan["justice-for-khojaly-campaign"])
    async with engine_of(planner).connect() as connection:
        outbox_before = await connection.scalar(text("SELECT count(*) FROM planner.outbox"))

    async with planner.uow() as uow:
        item = await uow.items.get(item_id)
        assert item is not None
        item.change_status("in_progress", "started")
        other = ChangeItemStatus(item_id, "deferred", "later", cleared=True)
        await change_item_status(other, planner.uow())
        with pytest.raises(ChangedMeanwhile):
            await uow.commit()

    async with engine_of(planner).connect() as connection:
        status = await connection.scalar(
            text("SELECT status FROM planner.items WHERE id = :i"), {"i": item_id}
        )
        outbox_after = await connection.scalar(text("SELECT count(*) FROM planner.outbox"))
    assert status == "deferred"  # the other clerk's change, not ours
    assert outbox_after == outbox_before + 1  # only its event
