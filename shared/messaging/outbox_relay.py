"""The outbox relay: claim pending rows, publish with confirms, mark sent after the confirm.

- Claims with ``FOR UPDATE SKIP LOCKED``, so any number of relays may run side by side.
- Keeps order per subject: a row is claimed only when every earlier pending row of its
  subject is in the same claim; within a claim a subject's rows go out one after another.
- A row whose publish fails (unroutable, refused, broker down) stays pending with the
  error and backs off; later rows of its subject wait behind it.
- Wakes on ``LISTEN <schema>_outbox`` and also polls, so a lost notification only delays.
- A crash between publish and mark re-publishes on the next claim: consumers' inboxes
  drop the duplicate.
- Its SQL runs on asyncpg itself (a pool of its own, on its own event loop): one pass is
  ``BEGIN``, the claim, the publishes, one ``UPDATE`` and ``COMMIT``.
- Rows handed over by a commit of its own process (:meth:`receive`,
  :mod:`shared.messaging.outbox_handoff`) it publishes at once, without a claim, and
  marks sent with one ``UPDATE``; one that fails is left to the claim, with its back-off.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeAlias

import asyncpg

from shared.contract.amqp_binding import STRUCTURED_CONTENT_TYPE
from shared.db.notify import notify_channel
from shared.db.pool import Database
from shared.messaging.publisher import ConfirmingPublisher, OutgoingMessage, PublishFailed
from shared.messaging.topology import PARTITION_HEADER
from shared.observability.metrics import OUTBOX_FAILURES, OUTBOX_LAG, OUTBOX_PUBLISHED

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 300
Row: TypeAlias = asyncpg.Record


@dataclass(frozen=True)
class RelayResult:
    claimed: int
    published: int
    failed: int


class OutboxRelay:
    def __init__(
        self,
        *,
        database: Database,
        schema: str,
        publisher: ConfirmingPublisher,
        exchange: str,
        service: str,
        listen_dsn: str | None = None,
        batch_size: int = 500,
        poll_interval: float = 1.0,
    ) -> None:
        self._database = database
        self._publisher = publisher
        self._exchange = exchange
        self._service = service
        self._listen_dsn = listen_dsn
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._wake = asyncio.Event()
        self._handed: list[Row] = []
        self._handed_ready = asyncio.Event()
        self._marking: set[asyncio.Task[None]] = set()
        self._claim_sql = f"""
            WITH claimed AS (
                SELECT position, event_id, subject, type, body::text AS body, created_at, attempts
                FROM {schema}.outbox
                WHERE published_at IS NULL AND next_attempt_at <= now()
                ORDER BY position
                LIMIT $1
                FOR UPDATE SKIP LOCKED
            )
            SELECT c.* FROM claimed c
            WHERE NOT EXISTS (
                SELECT 1 FROM {schema}.outbox o
                WHERE o.subject = c.subject AND o.published_at IS NULL
                  AND o.position < c.position
                  AND o.position NOT IN (SELECT position FROM claimed)
            )
            ORDER BY c.position
            """  # noqa: S608 - the schema is a constant of the service, not input
        self._published_sql = f"""
            UPDATE {schema}.outbox SET published_at = clock_timestamp(), attempts = attempts + 1
            WHERE position = ANY($1::bigint[]) AND published_at IS NULL
            """  # noqa: S608
        self._failed_sql = f"""
            UPDATE {schema}.outbox o SET
                attempts = o.attempts + 1,
                last_error = f.error,
                next_attempt_at = now() + make_interval(
                    secs => least({MAX_BACKOFF_SECONDS}, power(2, o.attempts)))
            FROM unnest($1::bigint[], $2::text[]) AS f(position, error)
            WHERE o.position = f.position
            """  # noqa: S608
        self._channel = notify_channel(schema)

    def receive(self, rows: list[Row]) -> None:
        """Committed rows handed over by this process (called on the relay's loop)."""
        self._handed.extend(rows)
        self._handed_ready.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Relay until ``stop`` is set; survives database and broker outages."""
        listener = asyncio.create_task(self._listen(stop), name=f"{self._service}-outbox-listen")
        handed = asyncio.create_task(self._relay_handed(stop), name=f"{self._service}-handed")
        try:
            while not stop.is_set():
                # cleared before the pass: a commit notified during it wakes the next at once
                self._wake.clear()
                try:
                    result = await self.run_once()
                except Exception:  # database down or a bug: log it, keep relaying
                    log.exception("outbox relay pass failed; retrying")
                    result = RelayResult(0, 0, 0)
                if result.claimed >= self._batch_size and result.failed == 0:
                    continue
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._poll_interval):
                        await _first_of(self._wake, stop)
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
            await handed

    async def _relay_handed(self, stop: asyncio.Event) -> None:
        """Publish the rows handed over, as they come; mark them sent in the background."""
        stopping = asyncio.create_task(stop.wait())
        stopping.add_done_callback(lambda _: self._handed_ready.set())
        while not stop.is_set():
            await self._handed_ready.wait()
            self._handed_ready.clear()
            rows, self._handed = self._handed, []
            if not rows:
                continue
            try:
                published, failures = await self.publish(rows)
            except Exception:  # a bug: the claim will publish them after their grace
                log.exception("publishing handed outbox rows failed")
                continue
            task = asyncio.create_task(self._mark_handed(published, failures))
            self._marking.add(task)
            task.add_done_callback(self._marking.discard)
        stopping.cancel()
        if self._marking:
            await asyncio.wait(set(self._marking))

    async def _mark_handed(self, published: list[Row], failures: dict[int, str]) -> None:
        try:
            async with self._database.connection() as connection:
                await self.mark(connection, published, failures)
        except Exception:  # the claim will publish them again after their grace: duplicates
            log.exception("marking handed outbox rows failed; they will be claimed again")

    async def run_once(self) -> RelayResult:
        """One claim → publish → mark pass, in one transaction."""
        async with self._database.connection() as connection, connection.transaction():
            rows = await self.claim(connection)
            if not rows:
                return RelayResult(0, 0, 0)
            published, failures = await self.publish(rows)
            await self.mark(connection, published, failures)
        return RelayResult(len(rows), len(published), len(failures))

    async def claim(self, connection: asyncpg.Connection) -> Sequence[Row]:
        rows: list[Row] = await connection.fetch(self._claim_sql, self._batch_size)
        return rows

    async def publish(self, rows: Sequence[Row]) -> tuple[list[Row], dict[int, str]]:
        """Publish the claimed rows; subjects in parallel, each subject's rows in order."""
        by_subject: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            by_subject[row["subject"]].append(row)
        published: list[Row] = []
        failures: dict[int, str] = {}

        async def publish_chain(chain: list[Row]) -> None:
            for index, row in enumerate(chain):
                try:
                    await self._publisher.publish(self._message(row))
                except PublishFailed as exc:
                    failures[row["position"]] = exc.reason
                    reason = "unroutable" if exc.unroutable else "broker"
                    OUTBOX_FAILURES.labels(self._service, reason).inc()
                    for waiting in chain[index + 1 :]:
                        failures[waiting["position"]] = f"waiting behind event {row['event_id']}"
                    return
                published.append(row)

        await asyncio.gather(*(publish_chain(chain) for chain in by_subject.values()))
        return published, failures

    async def mark(
        self, connection: asyncpg.Connection, published: Sequence[Row], failures: dict[int, str]
    ) -> None:
        if published:
            await connection.execute(self._published_sql, [row["position"] for row in published])
            now = datetime.now(UTC)
            OUTBOX_PUBLISHED.labels(self._service).inc(len(published))
            lag = OUTBOX_LAG.labels(self._service)
            for row in published:
                lag.observe((now - row["created_at"]).total_seconds())
        if failures:
            await connection.execute(self._failed_sql, list(failures), list(failures.values()))

    def _message(self, row: Row) -> OutgoingMessage:
        return OutgoingMessage(
            exchange=self._exchange,
            routing_key=row["type"],
            body=row["body"].encode(),  # the JSONB text as stored: no decode and re-encode
            content_type=STRUCTURED_CONTENT_TYPE,
            message_id=row["event_id"],
            type=row["type"],
            timestamp=row["created_at"],
            headers={PARTITION_HEADER: row["subject"]} if row["subject"] else {},
        )

    async def _listen(self, stop: asyncio.Event) -> None:
        """Keep a LISTEN connection; reconnect after failures. Polling covers the gaps."""
        if self._listen_dsn is None:
            return
        while not stop.is_set():
            try:
                connection = await asyncpg.connect(self._listen_dsn)
                try:
                    await connection.add_listener(self._channel, self._notified)
                    self._wake.set()  # catch up on anything committed while not listening
                    while not stop.is_set() and not connection.is_closed():
                        with contextlib.suppress(TimeoutError):
                            async with asyncio.timeout(self._poll_interval):
                                await stop.wait()
                finally:
                    with contextlib.suppress(Exception):
                        await connection.close(timeout=2)
            except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
                log.info("outbox LISTEN connection lost", extra={"error": repr(exc)})
                await asyncio.sleep(self._poll_interval)

    def _notified(self, *_: object) -> None:
        self._wake.set()


async def _first_of(*events: asyncio.Event) -> None:
    waiters = [asyncio.create_task(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
