"""Run a background worker on a thread of its own, with an event loop of its own.

A worker that shares the HTTP API's event loop waits behind every request callback queued
there: under load the outbox relay published seconds after the commit. On its own loop it
is scheduled by the interpreter however long the API's queue is: a thread waiting for the
GIL gets it after the switch interval at the latest, which a process running such a worker
lowers from Python's 5 ms to :data:`SWITCH_INTERVAL` (a relay needs the GIL several times
per publish, and under load each wait was the whole interval). What it uses must be built
on its loop: ``build`` runs there and returns the worker and what to close after it.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import uvloop

log = logging.getLogger(__name__)

Worker = Callable[[asyncio.Event], Coroutine[Any, Any, None]]
Build = Callable[[], tuple[Worker, Callable[[], Awaitable[None]]]]
"""Builds, on the worker's own loop, the worker and an async ``close`` run after it."""

SWITCH_INTERVAL = 0.001
"""Seconds a thread waits at most for the GIL while another runs Python (Python's default
is 0.005)."""


def on_own_loop(name: str, build: Build) -> Worker:
    """A worker for the service's loop that runs ``build``'s worker on a thread of its own
    and returns when it has finished (after ``stop`` is set, or when it failed)."""

    async def run(stop: asyncio.Event) -> None:
        ready: asyncio.Future[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = (
            asyncio.get_running_loop().create_future()
        )
        outer = asyncio.get_running_loop()

        def announce(loop: asyncio.AbstractEventLoop, inner: asyncio.Event) -> None:
            if not ready.done():
                ready.set_result((loop, inner))

        async def main() -> None:
            inner_stop = asyncio.Event()
            outer.call_soon_threadsafe(announce, asyncio.get_running_loop(), inner_stop)
            worker, close = build()
            try:
                await worker(inner_stop)
            finally:
                await close()

        def thread_main() -> None:
            try:
                with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
                    runner.run(main())
            except Exception:
                log.exception("worker on its own loop failed", extra={"worker": name})

        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
        thread = threading.Thread(target=thread_main, name=name, daemon=True)
        thread.start()
        loop, inner_stop = await ready
        try:
            await stop.wait()
        finally:
            loop.call_soon_threadsafe(inner_stop.set)
            await asyncio.to_thread(thread.join)

    return run
