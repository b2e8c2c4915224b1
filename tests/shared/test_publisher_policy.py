"""The publisher policy's decisions: source, broker user, type; the registry read when an
event would otherwise be refused (at most once per interval, shared by concurrent misses);
a replayed dead letter counted as sent by its first sender, never on a stranger's word."""

from __future__ import annotations

import asyncio

import pytest

from shared.contract import CloudEvent
from shared.messaging.broker_api import AmqpAccount, BrokerApiError
from shared.messaging.dead_letter_queue import DeadLetter, _original
from shared.messaging.publisher_policy import (
    ORIGINAL_USER_HEADER,
    PLANNER_TYPES,
    PublisherPolicy,
    RefusedPublisher,
)
from shared.messaging.publisher_registry import Registration, topic_matches
from shared.messaging.received import ReceivedMessage
from shared.messaging.topology import Topology
from shared.settings import PLANNER_SOURCE

MINISTRY = "urn:gov:az:mfa:meetings"


def event(source: str, event_type: str = "workplan.meeting.held.v1") -> CloudEvent:
    return CloudEvent(specversion="1.0", id="e-1", source=source, type=event_type, data={})


def ministry(types: tuple[str, ...] = ("workplan.meeting.held.v1",)) -> Registration:
    return Registration("mfa", MINISTRY, "mfa", types, "workplan.publishers.mfa")


class Registry:
    """The broker's registry as the policy reads it, counting reads."""

    def __init__(self, *registrations: Registration) -> None:
        self.registrations = list(registrations)
        self.reads = 0
        self.unreachable = False

    async def __call__(self) -> list[Registration]:
        self.reads += 1
        await asyncio.sleep(0.01)
        if self.unreachable:
            raise BrokerApiError("connection refused")
        return list(self.registrations)


def policy(registry: Registry | None = None, interval: float = 0.05) -> PublisherPolicy:
    return PublisherPolicy.from_config(
        {"urn:test:bridge": ["workplan.meeting.*"]},
        (PLANNER_SOURCE, PLANNER_TYPES),
        user="workplan",
        registry=registry,
        min_read_interval=interval,
    )


@pytest.mark.parametrize(
    ("pattern", "routing_key", "matches"),
    [
        ("workplan.meeting.held.v1", "workplan.meeting.held.v1", True),
        ("workplan.meeting.#", "workplan.meeting.held.v1", True),
        ("workplan.meeting.*", "workplan.meeting.held.v1", False),
        ("workplan.*.held.v1", "workplan.hearing.held.v1", True),
        ("#", "workplan.item.created.v1", True),
        ("#.v1", "workplan.item.created.v1", True),
        ("workplan.meeting.held.v1.#", "workplan.meeting.held.v1", True),
        ("workplan.meeting.held", "workplan.meeting.held.v1", False),
        ("workplan.hearing.#", "workplan.meeting.held.v1", False),
    ],
)
def test_type_patterns_match_as_rabbitmq_topic_bindings_do(pattern, routing_key, matches):
    assert topic_matches(pattern, routing_key) is matches


def test_the_planner_and_settings_sources_publish_as_the_systems_own_user():
    rules = policy()
    rules.check(event(PLANNER_SOURCE, "workplan.item.created.v1"), "workplan")
    rules.check(event("urn:test:bridge"), "workplan")
    with pytest.raises(RefusedPublisher) as refused:
        rules.check(event(PLANNER_SOURCE, "workplan.item.created.v1"), "mfa")
    assert refused.value.code == "wrong_publisher"
    with pytest.raises(RefusedPublisher) as refused:
        rules.check(event(PLANNER_SOURCE, "workplan.item.created.v1"), None)
    assert refused.value.code == "missing_user_id"


async def test_a_publisher_added_on_the_broker_is_read_on_its_first_event():
    registry = Registry()
    rules = policy(registry)
    with pytest.raises(RefusedPublisher) as refused:
        await rules.check_fresh(event(MINISTRY), "mfa")
    assert refused.value.code == "unregistered_source"
    registry.registrations.append(ministry())

    await rules.check_fresh(event(MINISTRY), "mfa")
    assert registry.reads == 2
    await rules.check_fresh(event(MINISTRY), "mfa")  # known now: no read
    assert registry.reads == 2

    with pytest.raises(RefusedPublisher) as refused:
        await rules.check_fresh(event(MINISTRY, "workplan.meeting.reclassified.v1"), "mfa")
    assert refused.value.code == "type_not_allowed"
    assert "workplan.meeting.held.v1" in refused.value.reason
    with pytest.raises(RefusedPublisher) as refused:
        await rules.check_fresh(event(MINISTRY), "workplan")
    assert refused.value.code == "wrong_publisher"


async def test_a_removed_publisher_is_refused_after_the_next_read():
    registry = Registry(ministry(("workplan.meeting.#",)))
    rules = policy(registry)
    await rules.check_fresh(event(MINISTRY), "mfa")
    registry.registrations.clear()
    with pytest.raises(RefusedPublisher):
        await rules.check_fresh(event("urn:someone:else"), "x")  # a miss reads again
    with pytest.raises(RefusedPublisher) as refused:
        rules.check(event(MINISTRY), "mfa")
    assert refused.value.code == "unregistered_source"


async def test_a_flood_of_refused_events_reads_the_registry_once_per_interval():
    registry = Registry()
    rules = policy(registry, interval=0.2)
    strangers = [rules.check_fresh(event(f"urn:x:stranger-{n}"), "x") for n in range(50)]
    results = await asyncio.gather(*strangers, return_exceptions=True)
    assert all(isinstance(result, RefusedPublisher) for result in results)
    assert registry.reads == 1


async def test_an_unreadable_registry_refuses_with_the_reason_and_reads_again_later():
    registry = Registry(ministry())
    registry.unreachable = True
    rules = policy(registry, interval=0.01)
    with pytest.raises(RefusedPublisher) as refused:
        await rules.check_fresh(event(MINISTRY), "mfa")
    assert refused.value.code == "unregistered_source"
    assert "the publisher registry could not be read: connection refused" in refused.value.reason
    registry.unreachable = False
    await rules.check_fresh(event(MINISTRY), "mfa")


def test_a_broker_registration_does_not_take_over_the_systems_own_sources():
    rules = policy()
    rules._replace([Registration("evil", PLANNER_SOURCE, "evil", ("#",), "x")])
    with pytest.raises(RefusedPublisher) as refused:
        rules.check(event(PLANNER_SOURCE, "workplan.item.created.v1"), "evil")
    assert refused.value.code == "wrong_publisher"


def received(user_id: str | None, **headers: object) -> ReceivedMessage:
    return ReceivedMessage(b"{}", None, "k", "x", user_id=user_id, headers=headers)


def test_a_replayed_dead_letter_counts_as_sent_by_its_first_sender_only_from_the_system():
    rules = policy()
    assert rules.sender_of(received("mfa")) == "mfa"
    assert rules.sender_of(received("workplan")) == "workplan"
    assert rules.sender_of(received("workplan", **{ORIGINAL_USER_HEADER: "mfa"})) == "mfa"
    # a stranger's own header is not believed; a replay of an unsigned message stays unsigned
    assert rules.sender_of(received("mfa", **{ORIGINAL_USER_HEADER: "workplan"})) == "mfa"
    assert rules.sender_of(received("workplan", **{ORIGINAL_USER_HEADER: ""})) is None


def letter(user_id: str | None, **headers: object) -> DeadLetter:
    return DeadLetter(
        message_id="m",
        code="c",
        reason="r",
        routing_key="workplan.meeting.held.v1",
        exchange="workplan.publishers.mfa",
        dead_lettered_at=None,
        content_type=None,
        body=b"{}",
        headers=dict(headers),
        user_id=user_id,
    )


def test_replay_keeps_the_first_sender_of_a_dead_letter():
    topology = Topology("workplan")
    # parked by a consumer (published by the system's user, the sender in a header)
    parked = _original(
        letter("workplan", **{ORIGINAL_USER_HEADER: "mfa"}), topology, replayed_by="workplan"
    )
    assert parked.headers[ORIGINAL_USER_HEADER] == "mfa"
    # dead-lettered by RabbitMQ after the delivery limit: the message is the original; a
    # header its sender wrote is replaced by the user the broker checked
    forged = letter("mfa", **{ORIGINAL_USER_HEADER: "workplan"})
    assert (
        _original(forged, topology, replayed_by="workplan").headers[ORIGINAL_USER_HEADER] == "mfa"
    )


@pytest.mark.parametrize(
    ("url", "account"),
    [
        ("amqp://guest:guest@127.0.0.1:5672/", ("guest", "guest", "/", "127.0.0.1")),
        (
            "amqp://mfa:p%40ss@rabbit.example:5671/gov%2Faz",
            ("mfa", "p@ss", "gov/az", "rabbit.example"),
        ),
        ("amqp://rabbit.example", ("guest", "guest", "/", "rabbit.example")),
    ],
)
def test_the_account_of_an_amqp_url(url, account):
    found = AmqpAccount.of(url)
    assert (found.user, found.password, found.vhost, found.host) == account
