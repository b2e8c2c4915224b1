"""Which delivery tags of one channel may be acked at once (``basic.ack`` with ``multiple``).

RabbitMQ numbers the deliveries of a channel 1, 2, 3, …; ``ack(T, multiple=True)``
settles every message of the channel up to ``T`` that is still unacknowledged. Messages
finish out of order (batches commit at different times, a bad one is dead-lettered or
retried alone), so a multiple ack is safe only up to the highest tag ``T`` such that
every tag up to ``T`` was received here and is settled: archived and committed, or
dead-lettered (both acked), or nacked on its own (already settled at the broker, so the
multiple ack leaves it alone). ``T`` itself must be one to ack: acking a nacked tag again
is a channel error. A tag not yet received (a gap) stops the ack there.
"""

from __future__ import annotations

from collections import deque


class AckTracker:
    """Outstanding delivery tags of one channel and how each was settled."""

    def __init__(self) -> None:
        self._received: deque[int] = deque()
        """Tags received and not yet covered by an ack, in increasing order."""
        self._settled: dict[int, bool] = {}
        """Settled tags among them: ``True`` to be acked, ``False`` nacked already."""
        self._covered = 0
        """Every tag up to this one is acked or nacked (tags start at 1)."""

    def received(self, tag: int) -> None:
        """A delivery arrived (call in delivery order, before it can be settled)."""
        if tag <= self._covered or (self._received and tag <= self._received[-1]):
            raise ValueError(f"delivery tag {tag} is not after the ones received before")
        self._received.append(tag)

    def settled(self, tag: int, *, ack: bool) -> None:
        """The message is done: ``ack`` after its commit (or dead letter); ``ack=False``
        after it was nacked on its own (the nack must have been sent already)."""
        self._settled[tag] = ack

    def ackable(self) -> int | None:
        """The tag to ack with ``multiple=True`` now, or ``None``; it counts as acked."""
        highest = None
        received, settled = self._received, self._settled
        while received and received[0] == self._covered + 1 and received[0] in settled:
            tag = received.popleft()
            if settled.pop(tag):
                highest = tag
            self._covered = tag
        return highest

    @property
    def outstanding(self) -> int:
        """Messages received and not yet acked or nacked."""
        return len(self._received)
