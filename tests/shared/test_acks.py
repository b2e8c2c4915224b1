"""Which delivery tags one ``basic.ack`` with ``multiple`` may cover, as batches commit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.messaging.acks import AckTracker


def tracker_with(*tags: int) -> AckTracker:
    tracker = AckTracker()
    for tag in tags:
        tracker.received(tag)
    return tracker


def test_nothing_is_acked_before_the_first_message_is_settled():
    tracker = tracker_with(1, 2, 3)
    tracker.settled(2, ack=True)
    tracker.settled(3, ack=True)
    assert tracker.ackable() is None
    tracker.settled(1, ack=True)
    assert tracker.ackable() == 3
    assert tracker.outstanding == 0


def test_an_unsettled_message_stops_the_ack_below_it():
    tracker = tracker_with(1, 2, 3, 4)
    for tag in (1, 2, 4):
        tracker.settled(tag, ack=True)
    assert tracker.ackable() == 2
    assert tracker.ackable() is None  # 2 counts as acked; 3 still holds 4 back
    tracker.settled(3, ack=True)
    assert tracker.ackable() == 4


def test_a_nacked_message_is_passed_over_but_never_acked_again():
    tracker = tracker_with(1, 2, 3)
    tracker.settled(1, ack=True)
    tracker.settled(2, ack=False)
    assert tracker.ackable() == 1  # not 2: acking a nacked tag is a channel error
    tracker.settled(3, ack=True)
    assert tracker.ackable() == 3  # covers 1..3; 2 is already settled at the broker


def test_only_nacked_messages_give_nothing_to_ack():
    tracker = tracker_with(1, 2)
    tracker.settled(1, ack=False)
    tracker.settled(2, ack=False)
    assert tracker.ackable() is None
    assert tracker.outstanding == 0


def test_tags_must_arrive_in_increasing_order():
    tracker = tracker_with(1, 2)
    with pytest.raises(ValueError, match="not after"):
        tracker.received(2)


@given(st.permutations(range(1, 41)), st.sets(st.integers(1, 40)))
def test_whatever_the_order_every_acked_tag_was_settled_and_each_tag_is_covered_once(
    order: list[int], nacked: set[int]
) -> None:
    tracker = tracker_with(*range(1, 41))
    settled: set[int] = set()
    covered = 0
    for tag in order:
        tracker.settled(tag, ack=tag not in nacked)
        settled.add(tag)
        acked = tracker.ackable()
        if acked is not None:
            assert acked > covered
            assert acked not in nacked
            assert set(range(1, acked + 1)) <= settled  # never ahead of a commit
            covered = acked
    assert tracker.outstanding == 0
    acked_ones = set(range(1, 41)) - nacked
    if acked_ones:
        assert covered == max(acked_ones)
