"""Group commit: items that arrive one by one, written in batches of one transaction each.

Each item is added with a callback (or submitted, awaiting a future) that learns the
outcome of the batch it went into, so a consumer acks a message only after the
transaction holding it committed, and a delivery worker knows its result is recorded.
Batches form like a group commit: when no writer is busy, a batch is written when it is
full or ``max_wait`` after its first item; while a writer is busy, items gather until it
finishes (or a full batch is ready and a second writer is free). So batches stay small
when traffic is light and grow under load, where each transaction then carries many
items. At most ``concurrency`` writers run at once: never more database connections than
that, whatever the backlog. With ``concurrency=1`` batches are written one after the
other in the order their items were added.

A batch that fails because the database cannot be reached is written again, with backoff,
for up to ``max_outage`` seconds (an outage or restart holds the items, it does not fail
them). A batch that fails otherwise is written again one item at a time, in order, so one
bad item fails alone and the others are written.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

from shared.messaging.intake import is_transient

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

Settle = Callable[[R | None, BaseException | None], None]
"""Called once per item after its batch: ``(result, None)`` after the commit, or
``(None, error)``. Runs synchronously in the writer; it must not raise or block."""


class GroupCommit(Generic[T, R]):
    def __init__(
        self,
        write: Callable[[Sequence[T]], Awaitable[list[R]]],
        *,
        name: str,
        max_size: int,
        max_wait: float,
        concurrency: int,
        max_outage: float = 600.0,
    ) -> None:
        self._write = write
        self._name = name
        self._max_size = max_size
        self._max_wait = max_wait
        self._concurrency = concurrency
        self._max_outage = max_outage
        self._pending: list[tuple[T, Settle[R]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._writers: set[asyncio.Task[None]] = set()

    @property
    def busy(self) -> int:
        """Writers running now (each holds one database connection)."""
        return len(self._writers)

    def add(self, item: T, settle: Settle[R]) -> None:
        """Put one item into the next batch; ``settle`` learns its result after the batch."""
        self._pending.append((item, settle))
        if len(self._pending) >= self._max_size:
            self._start_writers(partial=False)
        elif self._timer is None and not self._writers:
            self._timer = asyncio.get_running_loop().call_later(self._max_wait, self._on_timer)

    async def submit(self, item: T) -> R:
        """Write one item with the others of its batch; returns after the commit."""
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()

        def settle(result: R | None, error: BaseException | None) -> None:
            if future.done():
                return
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)  # type: ignore[arg-type]

        self.add(item, settle)
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

    async def _run_writer(self, batch: list[tuple[T, Settle[R]]]) -> None:
        try:
            await self._write_batch(batch)
        finally:
            task = asyncio.current_task()
            if task is not None:
                self._writers.discard(task)
            # items that gathered while this batch was written go next, without waiting
            if self._pending:
                self._start_writers(partial=True)

    async def _write_batch(self, batch: list[tuple[T, Settle[R]]]) -> None:
        try:
            results = await self._write_through_outages([item for item, _ in batch])
        except Exception as exc:  # each waiting caller gets the failure, or a second try alone
            if len(batch) > 1 and not is_transient(exc):
                log.warning(
                    "batch failed; writing its items one by one",
                    extra={"batch": self._name},
                    exc_info=exc,
                )
                for entry in batch:
                    await self._write_batch([entry])
                return
            for _, settle in batch:
                _settle(settle, None, exc)
            return
        for (_, settle), result in zip(batch, results, strict=True):
            _settle(settle, result, None)

    async def _write_through_outages(self, items: list[T]) -> list[R]:
        delay, waited = 0.1, 0.0
        while True:
            try:
                return await self._write(items)
            except Exception as exc:
                if not is_transient(exc) or waited >= self._max_outage:
                    raise
                log.warning(
                    "database unreachable; writing the batch again",
                    extra={"batch": self._name, "error": repr(exc), "retry_in": delay},
                )
                await asyncio.sleep(delay)
                waited += delay
                delay = min(delay * 2, 5.0)


def _settle(settle: Settle[R], result: R | None, error: BaseException | None) -> None:
    try:
        settle(result, error)
    except Exception:  # a caller's bug must not keep the batch's other items unsettled
        log.exception("settling a batched item failed")
