"""Group events that arrive one by one into batches written in one transaction each.

Each event is added with a callback (or submitted, awaiting a future) that learns the
outcome of the batch it went into, so the consumer acks a message only after the
transaction holding it committed. Batches form like a group commit: when no writer is
busy, a batch is written when it is full or ``max_wait`` after its first event; while a
writer is busy, events gather until it finishes (or a full batch is ready and a second
writer is free). So batches stay small when traffic is light and grow under load, where
each transaction then carries many events. At most ``concurrency`` writers run at once.

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
Settle = Callable[[Outcome | None, BaseException | None], None]
"""Called once per event after its batch: ``(outcome, None)`` after the commit, or
``(None, error)``. Runs synchronously in the writer; it must not raise or block."""

_Entry = tuple[ArchivedEvent, Settle]


class EventBatcher:
    def __init__(
        self, write: WriteBatch, *, max_size: int, max_wait: float, concurrency: int
    ) -> None:
        self._write = write
        self._max_size = max_size
        self._max_wait = max_wait
        self._concurrency = concurrency
        self._pending: list[_Entry] = []
        self._timer: asyncio.TimerHandle | None = None
        self._writers: set[asyncio.Task[None]] = set()

    def add(self, record: ArchivedEvent, settle: Settle) -> None:
        """Put one event into the next batch; ``settle`` learns its outcome after the batch."""
        self._pending.append((record, settle))
        if len(self._pending) >= self._max_size:
            self._start_writers(partial=False)
        elif self._timer is None and not self._writers:
            self._timer = asyncio.get_running_loop().call_later(self._max_wait, self._on_timer)

    async def submit(self, record: ArchivedEvent) -> Outcome:
        """Archive one event with the others of its batch; returns after the commit."""
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()

        def settle(outcome: Outcome | None, error: BaseException | None) -> None:
            if future.done():
                return
            if error is not None:
                future.set_exception(error)
            else:
                assert outcome is not None
                future.set_result(outcome)

        self.add(record, settle)
        return await future

    async def drain(self) -> None:
        """Write everything added so far (used on shutdown)."""
        while self._pending or self._writers:
            if self._pending and len(self._writers) < self._concurrency:
                self._start_writers(partial=True, force=True)
            await asyncio.gather(*self._writers, return_exceptions=True)

    def _on_timer(self) -> None:
        self._timer = None
        self._start_writers(partial=True)

    def _start_writers(self, *, partial: bool, force: bool = False) -> None:
        """Start writers for full batches; and one for a partial batch when none is busy."""
        while self._pending and len(self._writers) < self._concurrency:
            full = len(self._pending) >= self._max_size
            if not full and not (partial and (force or not self._writers)):
                break
            batch = self._pending[: self._max_size]
            del self._pending[: len(batch)]
            task = asyncio.create_task(self._run_writer(batch))
            self._writers.add(task)
        if self._timer is not None and (not self._pending or self._writers):
            self._timer.cancel()
            self._timer = None

    async def _run_writer(self, batch: list[_Entry]) -> None:
        try:
            await self._write_batch(batch)
        finally:
            task = asyncio.current_task()
            if task is not None:
                self._writers.discard(task)
            # events that gathered while this batch was written go next, without waiting
            if self._pending:
                self._start_writers(partial=True)

    async def _write_batch(self, batch: list[_Entry]) -> None:
        try:
            outcomes = await self._write([record for record, _ in batch])
        except Exception as exc:  # each waiting caller gets the failure, or a second try alone
            if len(batch) > 1 and not is_transient(exc):
                log.warning("archive batch failed; writing its events one by one", exc_info=exc)
                for entry in batch:
                    await self._write_batch([entry])
                return
            for _, settle in batch:
                _settle(settle, None, exc)
            return
        for (_, settle), outcome in zip(batch, outcomes, strict=True):
            _settle(settle, outcome, None)


def _settle(settle: Settle, outcome: Outcome | None, error: BaseException | None) -> None:
    try:
        settle(outcome, error)
    except Exception:  # a caller's bug must not keep the batch's other events unsettled
        log.exception("settling an archived event failed")
