"""The three services as real processes on a database and broker prefix of their own, with
the sample work plan: what schemathesis tests, as a client would reach them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from migrations.runner import upgrade
from tests.conftest import EXTERNAL_SOURCE, _delete_broker_objects

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "2026-spring-international-relations.yaml"
SERVICES = ("planner", "archive", "notifier")
JWT_SECRET = "contract-tests-key-of-at-least-32-bytes-long"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
async def contract_database(server_urls: tuple[str, str], run_id: str) -> AsyncIterator[str]:
    """A database of their own: what schemathesis writes never meets the other tests."""
    server = make_url(server_urls[0]).set(drivername="postgresql+asyncpg")
    name = f"workplan_test_{run_id}_contract"
    admin = server.set(drivername="postgresql", database="postgres").render_as_string(False)
    connection = await asyncpg.connect(admin)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
    url = server.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    connection = await asyncpg.connect(admin)
    await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await connection.close()


@pytest.fixture(scope="session")
async def contract_env(
    contract_database: str, amqp_url: str, run_id: str
) -> AsyncIterator[dict[str, str]]:
    prefix = f"test-{run_id}-contract"
    env = {
        **os.environ,
        "WORKPLAN_DATABASE_URL": contract_database,
        "WORKPLAN_AMQP_URL": amqp_url,
        "WORKPLAN_BROKER_PREFIX": prefix,
        "WORKPLAN_JWT_SECRET": JWT_SECRET,
        "WORKPLAN_PUBLISHERS": json.dumps({EXTERNAL_SOURCE: ["workplan.meeting.held.v1"]}),
        "WORKPLAN_LOG_LEVEL": "WARNING",
        "WORKPLAN_LOG_JSON": "true",
        "WORKPLAN_GRACEFUL_TIMEOUT": "5",
        "WORKPLAN_SMTP_PORT": str(free_port()),  # nothing listens: deliveries wait, harmless
        **{f"WORKPLAN_{name.upper()}_PORT": str(free_port()) for name in SERVICES},
    }
    yield env
    await _delete_broker_objects(amqp_url, prefix)


@pytest.fixture(scope="session")
def running_services(contract_env: dict[str, str], tmp_path_factory) -> Iterator[dict[str, str]]:
    """Service name → base URL, each service its own process, the sample plan imported."""
    logs = tmp_path_factory.mktemp("services")
    workplan = [sys.executable, "-m", "workplan.cli"]
    imported = subprocess.run(
        [*workplan, "import", str(SAMPLE)], env=contract_env, capture_output=True, check=False
    )
    assert imported.returncode == 0, imported.stderr.decode()[-2000:]
    processes = {
        name: subprocess.Popen(
            [*workplan, name],
            env=contract_env,
            stdout=(logs / f"{name}.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        for name in SERVICES
    }
    urls = {
        name: f"http://127.0.0.1:{contract_env[f'WORKPLAN_{name.upper()}_PORT']}"
        for name in SERVICES
    }
    try:
        for name, url in urls.items():
            _wait_ready(url, processes[name], logs / f"{name}.log")
        yield urls
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            process.wait(timeout=30)


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} not ready after {timeout} s:\n{log.read_text()[-3000:]}")
