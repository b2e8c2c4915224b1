"""The queue of deliveries in PostgreSQL: claim due ones under a lease, record attempts.

A claim takes due rows with ``FOR UPDATE SKIP LOCKED`` (any number of workers, in any
number of processes, take different rows) and pushes their ``next_attempt_at`` one lease
ahead, then commits: nothing stays locked while mail servers and receivers are slow. A
worker that dies mid-send leaves its rows to be claimed again when the lease runs out.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import bindparam, insert, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from services.notifier.adapters.orm import deliveries, delivery_attempts, webhook_endpoints
from services.notifier.domain.deliveries import DeliveryStep, DueDelivery

CLAIM = text(
    """
    WITH due AS (
        SELECT id FROM notifier.deliveries
        WHERE status IN ('queued', 'retrying') AND next_attempt_at <= now()
        ORDER BY next_attempt_at
        LIMIT :limit
        FOR UPDATE SKIP LOCKED
    )
    UPDATE notifier.deliveries d
    SET next_attempt_at = now() + make_interval(secs => :lease)
    FROM due
    WHERE d.id = due.id
    RETURNING d.id, d.channel, d.attempts, d.target, d.content, d.message_id, d.endpoint_id
    """
)


class SqlDeliveryQueue:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def claim(self, limit: int, lease_seconds: float) -> list[DueDelivery]:
        async with self._engine.begin() as connection:
            rows = (await connection.execute(CLAIM, {"limit": limit, "lease": lease_seconds})).all()
            endpoint_ids = {row.endpoint_id for row in rows if row.endpoint_id is not None}
            endpoints: dict[uuid.UUID, tuple[str, bool]] = {}
            if endpoint_ids:
                found = await connection.execute(
                    webhook_endpoints.select().where(webhook_endpoints.c.id.in_(endpoint_ids))
                )
                endpoints = {row.id: (row.secret, row.enabled) for row in found}
        claimed = []
        for row in rows:
            secret, enabled = endpoints.get(row.endpoint_id, (None, False))
            claimed.append(
                DueDelivery(
                    id=row.id,
                    channel=row.channel,
                    attempts=row.attempts,
                    target=row.target,
                    content=bytes(row.content),
                    message_id=row.message_id,
                    endpoint_id=row.endpoint_id,
                    endpoint_secret=secret,
                    endpoint_enabled=enabled if row.channel == "webhook" else True,
                )
            )
        return claimed

    async def record(self, steps: Sequence[DeliveryStep]) -> None:
        if not steps:
            return
        now = datetime.now(UTC)
        async with self._engine.begin() as connection:
            await connection.execute(
                update(deliveries)
                .where(deliveries.c.id == bindparam("delivery_id"))
                .values(
                    status=bindparam("new_status"),
                    attempts=bindparam("attempt"),
                    next_attempt_at=bindparam("next_at"),
                    last_error=bindparam("error"),
                    sent_at=bindparam("sent_moment"),
                ),
                [
                    {
                        "delivery_id": step.delivery_id,
                        "new_status": step.status,
                        "attempt": step.attempt,
                        "next_at": step.next_attempt_at,
                        "error": None if step.status == "sent" else step.detail[:2000],
                        "sent_moment": now if step.status == "sent" else None,
                    }
                    for step in steps
                ],
            )
            await connection.execute(
                insert(delivery_attempts),
                [
                    {
                        "delivery_id": step.delivery_id,
                        "attempt": step.attempt,
                        "status": step.status,
                        "detail": step.detail[:2000],
                    }
                    for step in steps
                ],
            )
            gone = {step.disable_endpoint for step in steps if step.disable_endpoint}
            if gone:
                await connection.execute(
                    update(webhook_endpoints)
                    .where(webhook_endpoints.c.id.in_(gone))
                    .values(enabled=False, disabled_reason="the receiver answered 410 Gone")
                )
