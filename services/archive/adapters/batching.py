"""Group events that arrive one by one into batches written in one transaction each.

Each caller submits one event and waits for the outcome of the batch it went into, so the
consumer acks a message only after the transaction holding it committed. A batch is
written when it is full or ``max_wait`` after its first event, by at most ``concurrency``
writers at once (a batch forms only when a writer is free, so batches grow under load).

When a batch fails with an error that is not an outage, each of its events is written
alone, so one bad event fails alone and the others are archived.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from services.archive.domain.records import ArchivedEvent
from shared.messaging.intake import is_transient
from shared.messaging.outcome import Outcome

log = logging.getLogger(__name__)

WriteBatch = Callable[[Sequence[ArchivedEvent]], Awaitable[list[Outcome]]]


class EventBatcher:
    def __init__(
        self, write: WriteBatch, *, max_size: int, max_wait: float, concurrency: int
    ) -> None:
        self._write = write
        self._max_size = max_size
        self._max_wait = max_wait
        self._slots = asyncio.Semaphore(concurrency)
        self._pending: list[tuple[ArchivedEvent, asyncio.Future[Outcome]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._writers: set[asyncio.Task[None]] = set()

    async def submit(self, record: ArchivedEvent) -> Outcome:
        """Archive one event with the others of its batch; returns after the commit."""
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._pending.append((record, future))
        if len(self._pending) >= self._max_size:
            self._start_writer()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self._max_wait, self._start_writer)
        return await future

    async def drain(self) -> None:
        """Write everything submitted so far (used on shutdown)."""
        while self._pending or self._writers:
            if self._pending:
                self._start_writer()
            await asyncio.gather(*self._writers, return_exceptions=True)

    def _start_writer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        task = asyncio.create_task(self._write_next())
        self._writers.add(task)
        task.add_done_callback(self._writers.discard)

    async def _write_next(self) -> None:
        async with self._slots:
            batch = self._pending[: self._max_size]
            del self._pending[: len(batch)]
            if self._pending and self._timer is None:
                self._timer = asyncio.get_running_loop().call_later(0, self._start_writer)
            if batch:
                await self._write_batch(batch)

    async def _write_batch(
        self, batch: list[tuple[ArchivedEvent, asyncio.Future[Outcome]]]
    ) -> None:
        try:
            outcomes = await self._write([record for record, _ in batch])
        except Exception as exc:  # each waiting caller gets the failure, or a second try alone
            if len(batch) > 1 and not is_transient(exc):
                log.warning("archive batch failed; writing its events one by one", exc_info=exc)
                for entry in batch:
                    await self._write_batch([entry])
                return
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            if not future.done():
                future.set_result(outcome)
