"""Outbox rows handed from the commit that wrote them to the relay of the same process.

Claiming what a relay was told about (``NOTIFY``, then ``BEGIN``, the claim, ``COMMIT``)
put three round trips and as many thread wake-ups between a commit and its publish. The
unit of work already holds the rows it wrote: after the commit it hands them over here,
and the relay publishes them at once and marks them sent
(:meth:`shared.messaging.outbox_relay.OutboxRelay.receive`).

Nothing is lost if a hand-over goes nowhere: the rows were written with
``next_attempt_at`` a grace period ahead (so no other relay takes them meanwhile), and
once it has passed any relay claims them like any other. Only rows that are the oldest
pending of their subject are handed over, so a subject's events still go out in order.

The unit of work runs on the API's event loop and the relay on its own thread: the rows
cross with ``call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

CommittedRow = Mapping[str, Any]
"""An outbox row as written: ``position``, ``event_id``, ``subject``, ``type``, ``body``
(the JSONB text), ``created_at``."""


class OutboxHandoff:
    def __init__(self, grace_seconds: float) -> None:
        self.grace_seconds = grace_seconds
        """How long a handed row is left to the relay it was handed to."""
        self._target: tuple[asyncio.AbstractEventLoop, Callable[[list[CommittedRow]], None]] | None
        self._target = None

    def attach(
        self, loop: asyncio.AbstractEventLoop, receive: Callable[[list[CommittedRow]], None]
    ) -> None:
        """The relay, running on ``loop``, takes what is handed over from now on."""
        self._target = (loop, receive)

    def detach(self) -> None:
        self._target = None

    @property
    def attached(self) -> bool:
        """A relay takes what is handed over (else rows are written for any relay to claim)."""
        return self._target is not None

    def hand_over(self, rows: Sequence[CommittedRow]) -> None:
        """Give committed rows to the relay (from any thread); without one, they wait for
        the grace period and a claim."""
        target = self._target
        if target is None or not rows:
            return
        loop, receive = target
        with contextlib.suppress(RuntimeError):  # the relay's loop closed: the claim will do
            loop.call_soon_threadsafe(receive, list(rows))
