"""A three-node RabbitMQ cluster of the tests' own (never the machine's broker on 5672),
started once for the tests of this folder and removed after them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from workplan.local_run.rabbit_cluster import DEBIAN_SCRIPTS, LocalRabbitCluster


@pytest.fixture(scope="session")
def rabbit_scripts() -> None:
    if not (DEBIAN_SCRIPTS / "rabbitmq-server").exists() and not shutil.which("rabbitmq-server"):
        pytest.skip("RabbitMQ's server scripts are not installed on this machine")


@pytest.fixture(scope="session")
def rabbit_cluster(
    tmp_path_factory: pytest.TempPathFactory, rabbit_scripts: None
) -> Iterator[LocalRabbitCluster]:
    base_dir: Path = tmp_path_factory.mktemp("rabbit-cluster")
    cluster = LocalRabbitCluster(nodes=3, base_dir=base_dir)
    cluster.start()
    yield cluster
    cluster.stop()
