"""A command decided on rows another changed before it committed is simply decided again.

The unit of work writes only if every row the command read is unchanged (optimistic
concurrency); otherwise it raises :class:`ChangedMeanwhile` having written nothing, and
the handler runs again from the start on fresh reads. Handlers take no lock for this, so
two commands on the same item never wait for each other.
"""

from __future__ import annotations

import asyncio
import functools
import random
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from services.planner.domain.errors import Conflict
from services.planner.handlers.ports import ChangedMeanwhile

P = ParamSpec("P")
T = TypeVar("T")
ATTEMPTS = 8


def retried(handler: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """The handler, run again (on the same unit of work, whose reads start afresh) while
    what it read keeps changing under it; a 409 after :data:`ATTEMPTS` tries."""

    @functools.wraps(handler)
    async def run(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(ATTEMPTS):
            try:
                return await handler(*args, **kwargs)
            except ChangedMeanwhile:
                await asyncio.sleep(random.uniform(0, 0.002 * 2**attempt))  # noqa: S311
        raise Conflict("what this change depends on kept changing meanwhile; try again in a moment")

    return run
