"""The Prometheus metrics of the delivery mechanics, shared by every service."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

OUTBOX_PUBLISHED = Counter(
    "workplan_outbox_published_total", "Outbox events published and confirmed.", ["service"]
)
OUTBOX_FAILURES = Counter(
    "workplan_outbox_publish_failures_total",
    "Outbox publishes that failed and stay pending.",
    ["service", "reason"],
)
OUTBOX_LAG = Histogram(
    "workplan_outbox_lag_seconds",
    "From commit of the state change to the broker's confirm.",
    ["service"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60),
)
EVENTS_CONSUMED = Counter(
    "workplan_events_consumed_total", "Events applied by a consumer.", ["service", "type"]
)
EVENTS_DUPLICATE = Counter(
    "workplan_events_duplicate_total",
    "Events skipped because the inbox had already recorded them.",
    ["service"],
)
DEAD_LETTERS = Counter(
    "workplan_dead_letters_total",
    "Messages sent to the dead-letter queue, by reason code.",
    ["service", "code"],
)
