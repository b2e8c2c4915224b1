"""The total-queue check: what was committed against what each service stored and sent.

In the spirit of the rabbitmq/jepsen ``total-queue`` checker: the set of events that must
arrive is known exactly (every row of the planner's outbox, and every external event the
broker confirmed), and each consumer's own records are read back and compared with it:

- **archive** — every event in its log, once;
- **notifier** — every event in its inbox (its record of events handled), once;
- **planner** — every external ``meeting.held`` in its inbox and recorded as one meeting;
- **inbox notices** — every hearing event the load caused noticed once for the soak's
  recipient;
- **e-mails** — every hearing event the load caused has an e-mail delivery, and every
  e-mail delivery arrived at the SMTP sink (by ``Message-ID``) — once, or it was *sent
  twice*;
- **webhooks** — every event the load caused has a webhook delivery, and every webhook
  delivery arrived at the receiver (by ``webhook-id``) — once, or it was *sent twice*.

A repeat sent by the notifier after a SIGKILL (the send done, its outcome not yet recorded)
is at-least-once delivery doing what it must; each is attributed to the fault nearest in
time, and only those next to a SIGKILL are allowed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import asyncpg

HEARING = "workplan.hearing."


@dataclass
class Expected:
    committed: dict[str, str]
    """Every outbox row: event id → type."""
    external: set[str]
    """External events the broker confirmed."""
    external_meetings: set[str]
    """The meeting ids those events report."""
    external_source: str
    load: set[str]
    """The events the load caused (outbox rows since it began, and the external ones)."""
    load_hearings: set[str]

    @property
    def everything(self) -> set[str]:
        return set(self.committed) | self.external


@dataclass
class Store:
    name: str
    expected: int
    lost: list[str] = field(default_factory=list)
    doubled: dict[str, int] = field(default_factory=dict)

    def figures(self) -> dict[str, Any]:
        return {
            "expected": self.expected,
            "lost": len(self.lost),
            "applied_twice": sum(n - 1 for n in self.doubled.values()),
            "examples_lost": self.lost[:5],
        }


async def expected(
    db: asyncpg.Connection, load_began: float, external: dict[str, str], source: str
) -> Expected:
    """``external``: event id → meeting id of each external event the broker confirmed."""
    rows = await db.fetch(
        "SELECT event_id, type, extract(epoch FROM created_at)::float8 FROM planner.outbox"
    )
    committed = {row[0]: row[1] for row in rows}
    caused = {row[0] for row in rows if row[2] >= load_began}
    hearings = {event for event in caused if committed[event].startswith(HEARING)}
    confirmed = set(external)
    return Expected(
        committed, confirmed, set(external.values()), source, caused | confirmed, hearings
    )


async def unpublished(db: asyncpg.Connection) -> int:
    return int(await db.fetchval("SELECT count(*) FROM planner.outbox WHERE published_at IS NULL"))


async def stores(db: asyncpg.Connection, wanted: Expected) -> list[Store]:
    everything = wanted.everything
    found = [
        _compare(
            "archive log",
            everything,
            await db.fetch("SELECT event_id, count(*) FROM archive.events GROUP BY event_id"),
        ),
        _compare(
            "notifier inbox",
            everything,
            await db.fetch("SELECT event_id, count(*) FROM notifier.inbox GROUP BY event_id"),
        ),
        _compare(
            "planner inbox (external events)",
            wanted.external,
            await db.fetch("SELECT event_id, count(*) FROM planner.inbox GROUP BY event_id"),
        ),
    ]
    found.append(
        _compare(
            "planner meetings (external)",
            wanted.external_meetings,
            await db.fetch(
                "SELECT external_id, count(*) FROM planner.meetings WHERE source = $1 "
                "GROUP BY external_id",
                wanted.external_source,
            ),
        )
    )
    found.append(
        _compare(
            "inbox notices (hearings)",
            wanted.load_hearings,
            await db.fetch(
                "SELECT d.event_id, count(*) FROM notifier.notifications n "
                "JOIN notifier.deliveries d ON d.id = n.delivery_id GROUP BY d.event_id"
            ),
        )
    )
    return found


@dataclass
class Sent:
    """One channel's deliveries against what arrived where they were sent."""

    channel: str
    deliveries: int
    missing_delivery: list[str]
    """Events of the load for which the notifier made no delivery on this channel."""
    not_arrived: list[str]
    """Deliveries that never arrived (whatever their status says)."""
    not_sent: dict[str, int]
    """Deliveries by final status other than ``sent``."""
    twice: dict[str, tuple[int, float]]
    """Delivery id → (times it arrived, when it first arrived)."""
    causes: dict[str, int] = field(default_factory=dict)
    """Of the deliveries that arrived twice: what the notifier recorded of their attempts."""

    @property
    def lost(self) -> int:
        return len(self.missing_delivery) + len(self.not_arrived)

    def figures(self, attributed: dict[str, int]) -> dict[str, Any]:
        return {
            "deliveries": self.deliveries,
            "lost": self.lost,
            "missing_delivery": len(self.missing_delivery),
            "not_arrived": len(self.not_arrived),
            "not_sent_by_status": self.not_sent,
            "sent_twice": sum(n - 1 for n, _ in self.twice.values()),
            "sent_twice_by_fault": attributed,
            "sent_twice_attempts_recorded": self.causes,
        }


async def sent(
    db: asyncpg.Connection,
    channel: str,
    expected_events: set[str],
    arrivals: list[tuple[float, str]],
) -> Sent:
    key = "message_id" if channel == "email" else "id::text"  # one of two fixed columns
    rows = await db.fetch(
        f"SELECT event_id, {key}, status FROM notifier.deliveries WHERE channel = $1", channel
    )
    arrived: Counter[str] = Counter(ident for _, ident in arrivals)
    first: dict[str, float] = {}
    for at, ident in arrivals:
        first.setdefault(ident, at)
    with_delivery = {row[0] for row in rows}
    statuses = Counter(row[2] for row in rows if row[2] != "sent")
    twice = {ident: (n, first[ident]) for ident, n in arrived.items() if n > 1}
    return Sent(
        channel=channel,
        deliveries=len(rows),
        missing_delivery=sorted(expected_events - with_delivery),
        not_arrived=[row[1] for row in rows if not arrived.get(row[1])],
        not_sent=dict(statuses),
        twice=twice,
        causes=await _attempts_of(db, key, channel, set(twice)),
    )


async def _attempts_of(
    db: asyncpg.Connection, key: str, channel: str, idents: set[str]
) -> dict[str, int]:
    """For deliveries that arrived twice: their recorded attempts, e.g. ``failed (timed out
    …) → sent`` (the first send arrived but its answer did not) or ``sent`` (one attempt
    recorded: a second sender took it over, e.g. after a kill)."""
    if not idents:
        return {}
    rows = await db.fetch(
        f"SELECT d.{key.removesuffix('::text')}::text, a.status, coalesce(a.detail, '') "  # fixed
        "FROM notifier.deliveries d JOIN notifier.delivery_attempts a ON a.delivery_id = d.id "
        "WHERE d.channel = $1 ORDER BY a.delivery_id, a.attempt",
        channel,
    )
    story: dict[str, list[str]] = {}
    for ident, status, detail in rows:
        if ident in idents:
            said = f" ({detail[:40]})" if detail and status != "sent" else ""
            story.setdefault(ident, []).append(f"{status}{said}")
    return dict(Counter(" → ".join(steps) for steps in story.values()))


def _compare(name: str, wanted: set[str], rows: list[asyncpg.Record]) -> Store:
    counts = {row[0]: int(row[1]) for row in rows}
    return Store(
        name=name,
        expected=len(wanted),
        lost=sorted(wanted - {event for event, n in counts.items() if n > 0}),
        doubled={event: n for event, n in counts.items() if event in wanted and n > 1},
    )


def attribute(twice: dict[str, tuple[int, float]], faults: list[Any]) -> dict[str, int]:
    """Each repeat to the fault that began nearest to its first arrival (within 30 s)."""
    found: Counter[str] = Counter()
    for count, first in twice.values():
        nearest = min(faults, key=lambda fault: abs(fault.started - first), default=None)
        if nearest is None or abs(nearest.started - first) > 30:
            found["no fault near"] += count - 1
        else:
            found[nearest.kind] += count - 1
    return dict(found)
