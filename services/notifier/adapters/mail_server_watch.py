"""Whether the mail server can be reached, said once per outage and shown by ``/readyz``.

The SMTP mailers report each connection they make or fail to make. The first failure of
an outage is logged once at WARNING, with the server's address; deliveries wait in the
queue and are retried on their schedule meanwhile (nothing is lost). When the server
answers again, that is logged once at INFO. ``/readyz`` shows the mail channel as
degraded while it is down, without failing readiness: the notifier keeps consuming events
and queueing deliveries, which is what it should do during a mail outage.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class MailServerWatch:
    def __init__(self, address: str) -> None:
        self.address = address
        self._problem: str | None = None

    def problem(self) -> str | None:
        """What is wrong with the mail channel, or ``None`` when the server answers."""
        return self._problem

    def unreachable(self, detail: str) -> None:
        if self._problem is None:
            log.warning(
                "cannot reach the mail server at %s (%s); e-mail waits in the queue and is "
                "retried until the server answers",
                self.address,
                detail,
            )
        self._problem = f"mail: cannot reach the mail server at {self.address} ({detail})"

    def reachable(self) -> None:
        if self._problem is not None:
            log.info("the mail server at %s answers again; queued e-mail goes out", self.address)
        self._problem = None
