"""The notifier's rules without I/O: routing, retry decisions, wording, tokens."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from services.notifier.adapters.unsubscribe_tokens import InvalidUnsubscribeToken, UnsubscribeTokens
from services.notifier.adapters.webhook_sender import retry_after
from services.notifier.domain.deliveries import AttemptResult, DueDelivery, RetrySchedule
from services.notifier.domain.digests import check_digest_day, cutoff
from services.notifier.domain.errors import RuleViolation
from services.notifier.domain.notices import Notice, kind_of, notice_of
from services.notifier.domain.recipients import Recipient, check_timezone, known_zones
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


def test_an_unsubscribe_token_with_non_ascii_characters_is_malformed():
    tokens = UnsubscribeTokens("secret")
    genuine = tokens.issue(("subscription", uuid.uuid4()))
    for forged in ("s.x.\u00e9", f"{genuine}\u00e9", "s.\u00e9.AAAA", "d.\ud800.AAAA"):
        with pytest.raises(InvalidUnsubscribeToken, match="malformed"):
            tokens.read(forged)


def test_the_digest_of_the_first_or_last_day_a_date_holds_does_not_overflow():
    earliest = cutoff(date.min, 8, ZoneInfo("Asia/Tokyo"))  # 23:00 UTC the day before year 1
    assert earliest == datetime.min.replace(tzinfo=UTC)
    latest = cutoff(date.max, 23, ZoneInfo("Pacific/Pago_Pago"))  # past the end of 9999
    assert latest == datetime.max.replace(tzinfo=UTC)
    assert cutoff(date(2026, 3, 1), 8, ZoneInfo("Asia/Baku")) == datetime(2026, 3, 1, 4, tzinfo=UTC)
    assert check_digest_day(date(1900, 1, 1)) == date(1900, 1, 1)
    for day in (date.min, date(1899, 12, 31), date(2201, 1, 1), date.max):
        with pytest.raises(RuleViolation, match="between the years 1900 and 2200"):
            check_digest_day(day)


@pytest.mark.parametrize(
    "address", ["a\x00b@example.az", "a\x1fb@example.az", "a\x7f@example.az", "ab@example.az\n"]
)
def test_an_email_address_with_a_control_character_is_refused(address):
    with pytest.raises(RuleViolation, match="must not contain control characters"):
        Recipient(name="X", email=address)


@pytest.mark.parametrize(
    "zone",
    [
        "America",
        "Europe",
        "__pycache__",
        "posixrules",
        "Factory",
        "localtime",
        "",
        "/etc/passwd",
        "../zoneinfo/UTC",
        "Asia/Baku\x00",
    ],
)
def test_only_iana_zone_names_are_time_zones(zone):
    with pytest.raises(RuleViolation, match="not a known IANA time zone"):
        Recipient(name="X", email="x@example.az", timezone=zone)


def test_real_zones_stay_time_zones():
    for zone in ("UTC", "Asia/Baku", "Europe/Moscow", "Asia/Tokyo", "Etc/GMT+4"):
        assert check_timezone(zone) == zone
    assert {"Factory", "localtime", "posixrules", "America"}.isdisjoint(known_zones())


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://x.az/\x00", "white space or control characters"),
        ("https://x.az/\t", "white space or control characters"),
        ("http://[::1]x/", "text after its [IPv6] host"),
        ("http://[::1/", "malformed"),
        ("http://[zz]/", "malformed"),
        ("http://x:abc/", "invalid port"),
        ("http://x:99999/", "invalid port"),
        ("http://x:0/", "invalid port"),
        ("http://1.2.3.999/", "invalid IPv4 host"),
        ("http://x..az/", "invalid host name"),
        ("http://%00/", "invalid host name"),
        ("http://@x.az/", "credentials"),
    ],
)
def test_a_webhook_url_that_cannot_be_requested_is_refused(url, words):
    with pytest.raises(RuleViolation, match=re.escape(words)):
        WebhookEndpoint(recipient_id=uuid.uuid4(), url=url)


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.gov.az/in?x=1#f",
        "http://127.0.0.1:8080/hook",
        "http://[::1]:9000/hook",
        "http://internal_host:8443/",
        "https://ədalət.az/hook",
    ],
)
def test_a_webhook_url_an_http_client_can_request_is_accepted(url):
    assert WebhookEndpoint(recipient_id=uuid.uuid4(), url=url).url == url
    httpx.URL(url)  # and the sender can request it


def test_notices_link_to_the_staff_console_by_default():
    from services.notifier.domain.messages import link_of  # noqa: PLC0415
    from services.notifier.domain.notices import HearingFacts, MeetingFacts  # noqa: PLC0415
    from services.notifier.settings import NotifierSettings  # noqa: PLC0415

    settings = NotifierSettings(_env_file=None)
    assert settings.links_base == "http://127.0.0.1:8000"
    moved = NotifierSettings(_env_file=None, console_base_url="https://console.example.gov.az")
    assert moved.links_base == "https://console.example.gov.az"
    item_id, hearing_id = uuid.uuid4(), uuid.uuid4()
    at = datetime(2026, 3, 12, 7, tzinfo=UTC)
    base = Notice(
        source="s", event_id="e", event_type="workplan.item.updated.v1", kind="item.updated",
        subject=None, sequence=1, occurred_at=at, classification="public", title={},
        item_id=item_id,
    )  # fmt: skip
    hearing = HearingFacts(hearing_id, at, at, "Asia/Baku", None, "scheduled")
    meeting = MeetingFacts("7d0c7f1e-8f51-4b0c-9a57-5b8f1f3c9f10", at, None)
    console = settings.links_base
    assert link_of(base, console) == f"{console}/items/{item_id}"
    assert link_of(Notice(**{**base.__dict__, "hearing": hearing}), console) == (
        f"{console}/hearings/{hearing_id}"
    )
    assert link_of(Notice(**{**base.__dict__, "meeting": meeting}), console + "/") == (
        f"{console}/meetings/{meeting.meeting_id}"
    )
