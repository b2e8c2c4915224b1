"""Old published outbox rows and old inbox keys are swept; pending and recent ones stay."""

from __future__ import annotations

from sqlalchemy import text


async def test_sweep_deletes_only_what_is_past_retention(planner, sample_plan):
    async with planner.engine.begin() as connection:
        total = await connection.scalar(text("SELECT count(*) FROM planner.outbox"))
        await connection.execute(
            text(
                "UPDATE planner.outbox SET published_at = now() - interval '8 days' "
                "WHERE position IN (SELECT position FROM planner.outbox ORDER BY position LIMIT 5)"
            )
        )
        await connection.execute(
            text(
                "UPDATE planner.outbox SET published_at = now() - interval '1 day' "
                "WHERE published_at IS NULL AND position IN "
                "(SELECT position FROM planner.outbox ORDER BY position OFFSET 5 LIMIT 3)"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO planner.inbox (source, event_id, type, received_at) VALUES "
                "('urn:a', 'old', 't', now() - interval '31 days'), ('urn:a', 'new', 't', now())"
            )
        )

    assert await planner.retention.sweep() == (5, 1)

    async with planner.engine.connect() as connection:
        left = await connection.execute(
            text("SELECT count(*), count(published_at) FROM planner.outbox")
        )
        assert tuple(left.one()) == (total - 5, 3)  # the rest pending, 3 recently published
        keys = await connection.scalars(text("SELECT event_id FROM planner.inbox"))
        assert list(keys) == ["new"]
