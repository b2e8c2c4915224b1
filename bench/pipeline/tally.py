"""What each stage of the pipeline did, read from the services' own tables afterwards.

Times are those the services wrote: the planner's outbox (``created_at`` in the command's
transaction, ``published_at`` after the confirm), the archive's log (``received_at``, when
its consumer took the event into a batch), the notifier's inbox (``received_at``, in the
transaction that made the notices) and the SMTP sink's time of acceptance. Counting them
per event id also finds any event lost or handled twice.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

import asyncpg

from bench.pipeline.smtp_sink import SmtpSink


@dataclass
class Counts:
    committed: int
    archived: int
    notified: int
    notices: int
    emails: int


async def counts(connection: asyncpg.Connection, sink: SmtpSink) -> Counts:
    row = await connection.fetchrow(
        """
        SELECT (SELECT count(*) FROM planner.outbox) AS committed,
               (SELECT count(*) FROM archive.events) AS archived,
               (SELECT count(*) FROM notifier.inbox) AS notified,
               (SELECT count(*) FROM notifier.notifications) AS notices
        """
    )
    assert row is not None
    return Counts(row[0], row[1], row[2], row[3], len(sink.accepted))


@dataclass
class StageTimes:
    """Epoch seconds of each stage's events in a window, per event id."""

    committed: dict[str, float] = field(default_factory=dict)
    published: dict[str, float] = field(default_factory=dict)
    archived: dict[str, float] = field(default_factory=dict)
    notified: dict[str, float] = field(default_factory=dict)
    emailed: dict[str, float] = field(default_factory=dict)


async def stage_times(
    connection: asyncpg.Connection, sink: SmtpSink, since: float, event_ids: set[str] | None
) -> StageTimes:
    """Per event id, when each stage handled the events committed (or published) since."""
    times = StageTimes()
    rows = await connection.fetch(
        "SELECT event_id, extract(epoch FROM created_at)::float8, "
        "extract(epoch FROM published_at)::float8 FROM planner.outbox "
        "WHERE created_at >= to_timestamp($1)",
        since,
    )
    for event_id, created, published in rows:
        times.committed[event_id] = created
        if published is not None:
            times.published[event_id] = published
    wanted = set(times.committed) | (event_ids or set())
    archived = await connection.fetch(
        "SELECT event_id, extract(epoch FROM received_at)::float8, "
        "extract(epoch FROM time)::float8 FROM archive.events WHERE event_id = ANY($1::text[])",
        list(wanted),
    )
    for event_id, received, event_time in archived:
        times.archived[event_id] = received
        times.committed.setdefault(event_id, event_time)  # on the bus: published at its time
    notified = await connection.fetch(
        "SELECT event_id, extract(epoch FROM received_at)::float8 FROM notifier.inbox "
        "WHERE event_id = ANY($1::text[])",
        list(wanted),
    )
    times.notified = dict(notified)
    by_message = dict(
        await connection.fetch(
            "SELECT message_id, event_id FROM notifier.deliveries "
            "WHERE channel = 'email' AND event_id = ANY($1::text[])",
            list(wanted),
        )
    )
    for at, message_id in sink.accepted:
        event_id = by_message.get(message_id)
        if event_id is not None:
            times.emailed.setdefault(event_id, at)
    return times


@dataclass
class Integrity:
    lost_archive: int
    lost_email: int
    lost_notice: int
    duplicate_emails: int
    duplicate_notices: int

    @property
    def ok(self) -> bool:
        return not any(self.__dict__.values())


async def integrity(
    connection: asyncpg.Connection, sink: SmtpSink, expected_ids: set[str]
) -> Integrity:
    """Every event the bench caused archived once, e-mailed once, noticed once."""
    archived = {
        row[0]
        for row in await connection.fetch(
            "SELECT event_id FROM archive.events WHERE event_id = ANY($1::text[])",
            list(expected_ids),
        )
    }
    notices = await connection.fetch(
        "SELECT d.event_id, count(*) FROM notifier.notifications n "
        "JOIN notifier.deliveries d ON d.id = n.delivery_id "
        "WHERE d.event_id = ANY($1::text[]) GROUP BY d.event_id",
        list(expected_ids),
    )
    by_message = dict(
        await connection.fetch(
            "SELECT message_id, event_id FROM notifier.deliveries "
            "WHERE channel = 'email' AND event_id = ANY($1::text[])",
            list(expected_ids),
        )
    )
    emails: dict[str, int] = {}
    for _, message_id in sink.accepted:
        if message_id in by_message:
            event_id = by_message[message_id]
            emails[event_id] = emails.get(event_id, 0) + 1
    return Integrity(
        lost_archive=len(expected_ids - archived),
        lost_email=len(expected_ids - set(emails)),
        lost_notice=len(expected_ids - {row[0] for row in notices}),
        duplicate_emails=sum(n - 1 for n in emails.values()),
        duplicate_notices=sum(row[1] - 1 for row in notices),
    )


def rate(times: dict[str, float], start: float) -> float:
    """Events per second from the window's start to this stage's last event."""
    if not times:
        return 0.0
    span = max(times.values()) - start
    return len(times) / span if span > 0 else 0.0


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0}
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "mean": statistics.fmean(values)}


def latencies_ms(later: dict[str, float], earlier: dict[str, float]) -> list[float]:
    return [(at - earlier[key]) * 1000 for key, at in later.items() if key in earlier]
