"""The notifier's rules without I/O: routing, retry decisions, wording, tokens."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from services.notifier.adapters.unsubscribe_tokens import InvalidUnsubscribeToken, UnsubscribeTokens
from services.notifier.adapters.webhook_sender import retry_after
from services.notifier.domain.deliveries import AttemptResult, DueDelivery, RetrySchedule
from services.notifier.domain.errors import RuleViolation
from services.notifier.domain.notices import Notice, kind_of, notice_of
from services.notifier.domain.recipients import Recipient
from services.notifier.domain.subscriptions import Candidate, Subscription, route
from services.notifier.domain.webhooks import WebhookEndpoint
from services.notifier.domain.wording import format_span, localized
from shared.contract import parse_data
from tests.notifier.scenario import Hearing

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def notice() -> Notice:
    event = Hearing().cancelled()
    return notice_of(event, parse_data(event.type, event.data))


def candidate(recipient: Recipient, **fields: Any) -> Candidate:
    return Candidate(Subscription(recipient_id=recipient.id, **fields), recipient)


def test_one_route_per_recipient_and_channel_immediate_before_digest():
    anna = Recipient(name="Anna", email="anna@example.az")
    routes = route(
        notice(),
        [
            candidate(anna, channel="email", mode="digest"),
            candidate(anna, channel="email", mode="immediate", event_type="workplan.hearing.*"),
            candidate(anna, channel="inbox"),
        ],
        mandatory=False,
    )
    assert [(r.channel, r.mode) for r in routes] == [("email", "immediate"), ("inbox", "immediate")]


def test_muting_silences_unless_the_notice_is_mandatory_which_is_also_never_a_digest():
    anna = Recipient(name="Anna", email="anna@example.az")
    muted = [
        candidate(anna, channel="email", mode="digest", muted=True, event_type="workplan.item.*")
    ]
    assert route(notice(), muted, mandatory=False) == []
    [forced] = route(notice(), muted, mandatory=True)
    assert (forced.mode, forced.mandatory) == ("immediate", True)
    out_of_scope = [candidate(anna, channel="email", committee="OTHER", muted=True)]
    assert route(notice(), out_of_scope, mandatory=True) == []


def test_inactive_recipients_and_disabled_endpoints_get_nothing():
    gone = Recipient(name="Gone", email="gone@example.az", active=False)
    hooks = Recipient(name="System", email="ops@example.az")
    endpoint = WebhookEndpoint(recipient_id=hooks.id, url="https://x.example.az/hook")
    endpoint.disable("410")
    candidates = [
        candidate(gone, channel="email"),
        Candidate(Subscription(recipient_id=hooks.id, channel="webhook"), hooks, endpoint),
    ]
    assert route(notice(), candidates, mandatory=False) == []


def test_a_digest_is_for_email_only():
    with pytest.raises(RuleViolation, match="e-mail only"):
        Subscription(recipient_id=uuid.uuid4(), channel="inbox", mode="digest")


def due(attempts: int = 0, endpoint_id: uuid.UUID | None = None) -> DueDelivery:
    return DueDelivery(
        uuid.uuid4(), "webhook", attempts, "https://x", b"{}", endpoint_id=endpoint_id
    )


def test_the_retry_schedule_waits_longer_each_time_then_gives_up():
    schedule = RetrySchedule((0, 5, 300))
    first = schedule.decide(due(0), AttemptResult.transient("HTTP 500"), NOW)
    assert (first.status, first.next_attempt_at) == ("retrying", NOW + timedelta(seconds=5))
    second = schedule.decide(due(1), AttemptResult.transient("HTTP 500"), NOW)
    assert second.next_attempt_at == NOW + timedelta(seconds=300)
    third = schedule.decide(due(2), AttemptResult.transient("HTTP 500"), NOW)
    assert (third.status, third.attempt) == ("dead", 3)


def test_retry_after_delays_but_never_shortens_and_410_disables_the_endpoint():
    schedule = RetrySchedule((0, 5, 300))
    later = schedule.decide(due(0), AttemptResult.transient("503", timedelta(seconds=60)), NOW)
    assert later.next_attempt_at == NOW + timedelta(seconds=60)
    sooner = schedule.decide(due(1), AttemptResult.transient("503", timedelta(seconds=1)), NOW)
    assert sooner.next_attempt_at == NOW + timedelta(seconds=300)
    capped = schedule.decide(due(0), AttemptResult.transient("503", timedelta(days=30)), NOW)
    assert capped.next_attempt_at == NOW + timedelta(days=1)
    endpoint = uuid.uuid4()
    gone = schedule.decide(due(0, endpoint), AttemptResult.gone("410"), NOW)
    assert (gone.status, gone.disable_endpoint) == ("failed", endpoint)


def test_retry_after_header_as_seconds_or_http_date():
    assert retry_after("120") == timedelta(seconds=120)
    assert retry_after("Sun, 01 Mar 2026 12:01:00 GMT", now=NOW) == timedelta(seconds=60)
    assert retry_after("soon") is None
    assert retry_after(None) is None


def test_times_cross_midnight_and_languages_fall_back():
    baku = ZoneInfo("Asia/Baku")
    span = format_span(
        datetime(2026, 12, 31, 19, 0, tzinfo=UTC),
        datetime(2026, 12, 31, 21, 0, tzinfo=UTC),
        baku,
        "ru",
    )
    assert span == "31 декабря 2026, 23:00 – 1 января 2027, 01:00 (Asia/Baku)"
    assert localized({"az": "Salam", "en": "Hello"}, "ru") == "Hello"
    assert localized({"az": "Salam"}, "ru") == "Salam"
    assert kind_of("workplan.hearing.rescheduled.v1") == "hearing.rescheduled"


def test_unsubscribe_tokens_are_signed_and_scoped():
    tokens = UnsubscribeTokens("secret")
    target = uuid.uuid4()
    token = tokens.issue(("subscription", target))
    assert tokens.read(token) == ("subscription", target)
    assert tokens.read(tokens.issue(("digests", target))) == ("digests", target)
    with pytest.raises(InvalidUnsubscribeToken):
        UnsubscribeTokens("another secret").read(token)
    with pytest.raises(InvalidUnsubscribeToken):
        tokens.read(token.replace("s.", "d.", 1))
