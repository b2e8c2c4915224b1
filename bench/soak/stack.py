"""Everything a soak runs on, all of its own: PostgreSQL, a RabbitMQ cluster, the services.

Nothing here touches the machine's shared PostgreSQL (5432) or RabbitMQ (5672): the soak
starts an ``initdb`` cluster on a free port (:class:`OwnPostgres`), three RabbitMQ nodes on
their own ports and data folders (:class:`LocalRabbitCluster`), an SMTP sink and a webhook
receiver it can stop and start, and the planner, archive and notifier as processes
(``workplan planner`` …, through :class:`bench.pipeline.processes.ServiceProcess`). Each
service talks to another broker node, so that stopping one node cuts one service's
connection while the quorum queues go on on the other two. :meth:`Stack.remove` stops and
deletes all of it, whatever state a fault left it in.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

from bench.pipeline.processes import ServiceProcess
from bench.pipeline.smtp_sink import SmtpSink
from bench.soak.webhook_receiver import WebhookReceiver
from workplan.local_run.postgres_server import OwnPostgres
from workplan.local_run.rabbit_cluster import LocalRabbitCluster

SERVICES = ("planner", "archive", "notifier")
EXTERNAL_SOURCE = "urn:soak:gov:mfa"
"""The registered external system whose ``meeting.held`` events the soak publishes."""
DATABASE = "workplan_soak"
DELIVERY_LEASE_SECONDS = 60
"""A delivery claimed by a killed notifier is taken over after this (the product's default,
300 s, would stall a run for minutes). Shorter is not safe on a busy machine: a send slower
than the lease is sent again by another worker (15 s gave repeats at load 15 on two cores)."""
RETRY_SCHEDULE = [0.0, 1.0, 2.0, *([3.0] * 60)]
"""Delivery retries of the soak's notifier: every few seconds for about three minutes, so a
receiver that was down for seconds is caught up within the run (the product's schedule
waits five minutes after the second attempt)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Stack:
    def __init__(self, workdir: Path, *, nodes: int = 3) -> None:
        self.workdir = workdir
        self.run_id = uuid.uuid4().hex[:6]
        self.postgres = OwnPostgres()
        self.cluster = LocalRabbitCluster(
            nodes=nodes, base_dir=workdir / "rabbitmq", name=f"wp-soak-{self.run_id}"
        )
        self.sink = SmtpSink()
        self.receiver = WebhookReceiver()
        self.prefix = f"soak-{self.run_id}"
        self.ports: dict[str, int] = {}
        self.processes: dict[str, ServiceProcess] = {}
        self.env: dict[str, str] = {}

    @property
    def database_url(self) -> str:
        return self.postgres.url_of(DATABASE)

    @property
    def dsn(self) -> str:
        """The same database for asyncpg (the soak's own reads)."""
        return self.database_url.replace("postgresql+asyncpg://", "postgresql://")

    def node_of(self, service: str) -> int:
        """The broker node a service connects to: one each, round the cluster."""
        return SERVICES.index(service) % len(self.cluster.amqp_urls)

    # --- start ---------------------------------------------------------------------------

    async def start_servers(self) -> None:
        """PostgreSQL and the broker cluster (in parallel), the sink and the receiver."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        await asyncio.gather(
            asyncio.to_thread(self.postgres.start), asyncio.to_thread(self.cluster.start)
        )
        await self.sink.start()
        await self.receiver.start()
        # chosen once the broker nodes have taken theirs; a service keeps its port on restarts
        self.ports = {name: free_port() for name in SERVICES}
        self.env = self._environment()

    def _environment(self) -> dict[str, str]:
        env = {
            **os.environ,
            "WORKPLAN_DATABASE_URL": self.database_url,
            "WORKPLAN_AMQP_URL": self.cluster.amqp_urls[0],
            "WORKPLAN_BROKER_PREFIX": self.prefix,
            "WORKPLAN_PUBLISHERS": json.dumps({EXTERNAL_SOURCE: ["workplan.meeting.held.v1"]}),
            "WORKPLAN_SMTP_HOST": "127.0.0.1",
            "WORKPLAN_SMTP_PORT": str(self.sink.port),
            "WORKPLAN_SMTP_CHECK_INTERVAL": "1",
            "WORKPLAN_DELIVERY_RETRY_SCHEDULE": json.dumps(RETRY_SCHEDULE),
            "WORKPLAN_DELIVERY_LEASE_SECONDS": str(DELIVERY_LEASE_SECONDS),
            "WORKPLAN_DELIVERY_POLL_INTERVAL": "0.5",
            "WORKPLAN_PUBLISH_TIMEOUT": "5",
            "WORKPLAN_LOG_LEVEL": "INFO",
            "WORKPLAN_LOG_JSON": "false",
        }
        for name in SERVICES:
            env[f"WORKPLAN_{name.upper()}_PORT"] = str(self.ports[name])
        return env

    def migrate(self) -> None:
        self._command("migrate")

    def import_sample(self, sample: Path) -> None:
        self._command("import", str(sample))

    def _command(self, *args: str) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "workplan.cli", *args],
            env=self.env,
            capture_output=True,
            check=False,
            timeout=300,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"workplan {args[0]} failed: {result.stdout[-2000:]!r} {result.stderr[-2000:]!r}"
            )

    def start_service(self, name: str) -> ServiceProcess:
        env = {**self.env, "WORKPLAN_AMQP_URL": self.cluster.amqp_urls[self.node_of(name)]}
        process = ServiceProcess.start(name, self.ports[name], env, self.workdir / f"{name}.log")
        self.processes[name] = process
        return process

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    # --- readiness -----------------------------------------------------------------------

    async def ready(self, names: tuple[str, ...] = SERVICES, *, within: float = 180) -> float:
        """Wait until every named service answers ``/readyz`` 200; the seconds it took."""
        began = time.monotonic()
        waiting = set(names)
        async with httpx.AsyncClient(timeout=3) as http:
            while waiting:
                for name in list(waiting):
                    process = self.processes[name].process
                    if process.poll() is not None:
                        raise RuntimeError(
                            f"{name} exited with {process.returncode}; see {self.workdir}"
                        )
                    if not _listens(process.pid, self.ports[name]):
                        continue  # not yet, or another program has the port (see the log)
                    with contextlib.suppress(httpx.HTTPError):
                        if (await http.get(f"{self.url(name)}/readyz")).status_code == 200:
                            waiting.discard(name)
                if waiting:
                    if time.monotonic() - began > within:
                        raise RuntimeError(f"not ready after {within:g} s: {sorted(waiting)}")
                    await asyncio.sleep(0.1)
        return time.monotonic() - began

    # --- stop ----------------------------------------------------------------------------

    def signal_service(self, name: str, number: signal.Signals, *, wait: float = 60) -> int:
        """Send a signal and wait for the process to end; its exit code."""
        process = self.processes[name].process
        process.send_signal(number)
        try:
            return process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()

    async def remove(self) -> None:
        """Stop and delete everything the soak started; safe to call in any state."""
        for process in self.processes.values():
            if process.process.poll() is None:
                process.process.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.process.wait(timeout=10)
        with contextlib.suppress(Exception):
            await self.receiver.stop()
        with contextlib.suppress(Exception):
            await self.sink.stop()
        with contextlib.suppress(Exception):
            await asyncio.to_thread(self.cluster.stop)
        _kill_left_over_nodes(self.workdir)
        with contextlib.suppress(Exception):
            await asyncio.to_thread(self.postgres.remove)


def _kill_left_over_nodes(workdir: Path) -> None:
    """SIGKILL any Erlang VM still running from this soak's folders (a node the cluster lost
    track of while a fault had it half started): only those, found by their ``-home``."""
    mark = f" -home {workdir}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "beam.smp":
                continue
            command_line = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if mark in command_line:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(entry.name), signal.SIGKILL)


def _listens(pid: int, port: int) -> bool:
    """Whether process ``pid`` itself listens on TCP ``port`` (not some other program that
    took the port first and would answer ``/readyz`` for it)."""
    wanted = f":{port:04X}"
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[1].endswith(wanted) and fields[3] == "0A":  # LISTEN
                inodes.add(f"socket:[{fields[9]}]")
    if not inodes:
        return False
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                if str(fd.readlink()) in inodes:
                    return True
    except OSError:
        return False
    return False
