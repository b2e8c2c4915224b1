"""How the partitions are named and split between copies (no broker needed), and the
settings that choose them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.messaging.topology import PARTITION_HEADER, Topology
from shared.settings import WorkplanSettings


def test_partitions_are_named_by_service_and_number() -> None:
    topology = Topology("wp", partitions=3)
    assert topology.consumed_queues("archive") == ["wp.archive.0", "wp.archive.1", "wp.archive.2"]
    assert topology.partition_exchange("archive") == "wp.archive.partitions"
    assert topology.partition_exchange_arguments("archive") == {"hash-header": PARTITION_HEADER}
    assert topology.queue_arguments("archive")["x-single-active-consumer"] is True
    assert topology.declared_queues("archive")[-1] == "wp.archive.dead-letters"


def test_without_partitions_a_service_has_its_one_queue() -> None:
    topology = Topology("wp", partitions=0)
    assert topology.consumed_queues("notifier") == ["wp.notifier"]
    assert "x-single-active-consumer" not in topology.queue_arguments("notifier")
    assert topology.declared_exchanges("notifier") == []


@pytest.mark.parametrize(
    ("index", "copies", "own"),
    [(0, 1, [0, 1, 2, 3]), (0, 2, [0, 2]), (1, 2, [1, 3]), (2, 3, [2]), (4, 5, [])],
)
def test_each_copy_takes_every_nth_partition_first(index, copies, own) -> None:
    topology = Topology("wp", partitions=4)
    first, standby = topology.queues_of_copy("archive", index, copies)
    assert first == [f"wp.archive.{n}" for n in own]
    assert sorted(first + standby) == sorted(topology.consumed_queues("archive"))


def test_a_copy_index_beyond_the_copies_is_refused() -> None:
    with pytest.raises(ValidationError, match="WORKPLAN_COPY_INDEX=2 must be below"):
        WorkplanSettings(copies=2, copy_index=2, _env_file=None)
