"""``workplan bench``: the whole pipeline on the real services, with the raw limit beside it.

One run, on the configured PostgreSQL and RabbitMQ (a fresh database and broker prefix,
both removed afterwards):

1. the raw limit of one hop (``raw_limit.py``), throughput and latency;
2. the planner, archive and notifier started as separate processes (``workplan planner``
   …) with an SMTP sink of the bench's own, the sample work plan imported, one recipient
   subscribed by e-mail and in-app;
3. warm-up, then per repeat: commands through the HTTP API from several clients as fast as
   the planner answers; hearing events straight onto the bus; and commands at a fixed
   offered rate for latency. Each window waits until every event is archived, notified
   and its e-mail accepted, and reads CPU and memory of every process from ``/proc``.

``WORKPLAN_BENCH_SERVICES_FROM=<checkout>`` runs the services (and the import) from another
checkout of the repository, to measure a before and an after with the same bench.

The figures are medians over the repeats. Every event is checked: archived once, one
e-mail, one inbox notice; the command exits non-zero if anything is lost or doubled.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from bench.pipeline.load import (
    COMMITTEE,
    SESSION,
    HearingCommands,
    bus_events,
    publish_events,
    send_commands,
)
from bench.pipeline.processes import (
    ServiceProcess,
    cpu_seconds,
    load_average,
    memory_mb,
    pids_named,
)
from bench.pipeline.raw_limit import RawHop
from bench.pipeline.report import report
from bench.pipeline.smtp_sink import SmtpSink
from bench.pipeline.tally import (
    counts,
    integrity,
    latencies_ms,
    percentiles,
    rate,
    stage_times,
)
from migrations.runner import upgrade
from shared.auth.tokens import mint_token
from shared.db.bootstrap_database import ensure_database
from shared.messaging.publisher import ConfirmingPublisher
from shared.messaging.topology import Topology
from shared.settings import WorkplanSettings

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "2026-spring-international-relations.yaml"
SERVICES = ("planner", "archive", "notifier")


@dataclass(frozen=True)
class Plan:
    """How much of each kind of load one run puts through."""

    raw_events: int
    raw_paced_seconds: float
    warm_up: int
    http_commands: int
    clients: int
    bus_events: int
    latency_rate: float
    latency_seconds: float
    repeats: int

    @classmethod
    def quick(cls) -> Plan:
        return cls(2_000, 3, 40, 200, 8, 300, 50, 4, 1)

    @classmethod
    def full(cls) -> Plan:
        return cls(20_000, 10, 300, 1_000, 16, 3_000, 200, 10, 2)


class Pipeline:
    def __init__(self, plan: Plan, workdir: Path, profile: Path | None = None) -> None:
        self.plan = plan
        self.workdir = workdir
        self.profile = profile
        self.settings = WorkplanSettings()
        run_id = uuid.uuid4().hex[:8]
        base = make_url(self.settings.database_url.get_secret_value())
        self.database_url = base.set(database=f"workplan_bench_{run_id}").render_as_string(
            hide_password=False
        )
        self.dsn = (
            make_url(self.database_url)
            .set(drivername="postgresql")
            .render_as_string(hide_password=False)
        )
        self.prefix = f"bench-{run_id}"
        self.topology = Topology(self.prefix)
        self.sink = SmtpSink()
        self.processes: dict[str, ServiceProcess] = {}
        self.expected: set[str] = set()
        self.item_ids: list[str] = []
        self.commands = HearingCommands([])

    # --- set-up ------------------------------------------------------------------------

    async def create_database(self) -> None:
        await ensure_database(self.database_url)
        await asyncio.to_thread(upgrade, self.database_url)

    async def start(self) -> dict[str, Any]:
        await self.sink.start()
        env = {
            **os.environ,
            "WORKPLAN_DATABASE_URL": self.database_url,
            "WORKPLAN_BROKER_PREFIX": self.prefix,
            "WORKPLAN_SMTP_PORT": str(self.sink.port),
            "WORKPLAN_LOG_LEVEL": "WARNING",
            "WORKPLAN_LOG_JSON": "false",
        }
        code = os.environ.get("WORKPLAN_BENCH_SERVICES_FROM")
        if code:  # the services of another checkout (before/after); ``-m`` puts cwd first
            env["PYTHONPATH"] = code
        ports = {name: _free_port() for name in SERVICES}
        for name in SERVICES:
            env[f"WORKPLAN_{name.upper()}_PORT"] = str(ports[name])
        self.env = env
        for name in SERVICES:
            self.processes[name] = ServiceProcess.start(
                name, ports[name], env, self.workdir / f"{name}.log", cwd=code
            )
        for process in self.processes.values():
            await asyncio.to_thread(process.wait_ready, 90)
        result = await asyncio.to_thread(
            subprocess.run,
            # each checkout imports its own sample (the file grows with what the code reads)
            [sys.executable, "-m", "workplan.cli", "import", str(_sample(code))],
            env=env,
            cwd=code,
            capture_output=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"import failed: {result.stdout!r} {result.stderr!r}")
        await self._subscribe()
        self.item_ids = await self._items()
        self.commands = HearingCommands(self.item_ids)
        self.publisher = ConfirmingPublisher(self.settings.amqp_url.get_secret_value())
        await self.publisher.connect()
        self.db = await asyncpg.connect(self.dsn)
        await self._drained(120, expect_emails=False)
        await asyncio.sleep(2)  # idle: let the start-up work settle before reading memory
        return {name: memory_mb(p.pid)[0] for name, p in self.processes.items()}

    async def _subscribe(self) -> None:
        token = mint_token(self.settings, subject="bench", scopes=["notifier:admin"])
        headers = {"Authorization": f"Bearer {token}"}
        url = self.processes["notifier"].url
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as http:
            created = await http.post(
                "/api/v1/recipients",
                json={
                    "name": "Leyla Həsənova",
                    "email": "leyla@bench.workplan.test",
                    "language": "az",
                    "timezone": "Asia/Baku",
                },
            )
            created.raise_for_status()
            recipient = created.json()["id"]
            for channel in ("email", "inbox"):
                subscribed = await http.post(
                    "/api/v1/subscriptions",
                    json={
                        "recipient_id": recipient,
                        "channel": channel,
                        "event_type": "workplan.hearing.*",
                    },
                )
                subscribed.raise_for_status()

    async def _items(self) -> list[str]:
        token = self.planner_token()
        headers = {"Authorization": f"Bearer {token}"}
        url = self.processes["planner"].url
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as http:
            found = await http.get(
                "/api/v1/items", params={"committee": COMMITTEE, "session": SESSION}
            )
            found.raise_for_status()
            return [item["id"] for item in found.json() if item["classification"] == "public"]

    def planner_token(self) -> str:
        return mint_token(self.settings, subject="bench", scopes=["planner:read", "planner:write"])

    async def stop(self) -> None:
        for process in self.processes.values():
            process.stop()
        await self.sink.stop()
        if hasattr(self, "publisher"):
            await self.publisher.close()
        if hasattr(self, "db"):
            await self.db.close()
        admin = make_url(self.dsn).set(database="postgres").render_as_string(hide_password=False)
        connection = await asyncpg.connect(admin)
        try:
            name = make_url(self.dsn).database
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()
        await _delete_broker_objects(self.settings.amqp_url.get_secret_value(), self.topology)

    # --- windows -----------------------------------------------------------------------

    async def _drained(self, within: float, *, expect_emails: bool = True) -> None:
        """Wait until every committed event is archived, notified and (its e-mail) sent."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            now = await counts(self.db, self.sink)
            published = now.committed + self._bus_count
            hearing_events = len(self.expected)
            if (
                now.archived >= published
                and now.notified >= published
                and (not expect_emails or now.emails >= hearing_events)
                and now.notices >= hearing_events
            ):
                return
            await asyncio.sleep(0.05)
        raise RuntimeError(f"the pipeline did not drain in {within:g} s: {now}")

    _bus_count = 0

    async def window(self, kind: str, run: Any, events: int) -> dict[str, Any]:
        """Run one kind of load and measure it until everything it caused is done."""
        pids = {name: p.pid for name, p in self.processes.items()}
        pg_before = await self._postgres_cpu()
        rabbit = pids_named("beam.smp")
        cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        load_cpu_before = cpu_seconds(os.getpid())
        rabbit_before = sum(cpu_seconds(pid) for pid in rabbit)
        load_before = load_average()
        started = time.time()
        began = time.monotonic()
        profilers = self._profile(kind, pids)
        new_ids = await run()
        self.expected |= new_ids
        await self._drained(600)
        seconds = time.monotonic() - began
        for profiler in profilers:
            profiler.send_signal(signal.SIGINT)
            profiler.wait(timeout=60)
        cpu = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
        pg_cpu = await self._postgres_cpu(pg_before) if pg_before is not None else None
        rabbit_cpu = sum(cpu_seconds(pid) for pid in rabbit) - rabbit_before
        load_cpu = cpu_seconds(os.getpid()) - load_cpu_before
        times = await stage_times(self.db, self.sink, started - 0.001, new_ids)
        ids = new_ids
        e2e_ends = [max(times.archived[i], times.notified[i], times.emailed[i]) for i in ids]
        return {
            "kind": kind,
            "events": events,
            "seconds": seconds,
            "end_to_end_per_s": len(ids) / (max(e2e_ends) - started) if e2e_ends else 0.0,
            "stages_per_s": {
                "committed": rate({i: times.committed[i] for i in ids}, started),
                "published": rate(
                    {i: times.published[i] for i in ids if i in times.published}, started
                ),
                "archived": rate({i: times.archived[i] for i in ids}, started),
                "notified": rate({i: times.notified[i] for i in ids}, started),
                "emails_accepted": rate({i: times.emailed[i] for i in ids}, started),
            },
            "latency_ms": {
                "commit_to_published": percentiles(latencies_ms(times.published, times.committed)),
                "commit_to_archived": percentiles(latencies_ms(times.archived, times.committed)),
                "commit_to_email": percentiles(latencies_ms(times.emailed, times.committed)),
            },
            "cpu_ms_per_event": {
                **{name: value * 1000 / events for name, value in cpu.items()},
                **({"postgres": pg_cpu * 1000 / events} if pg_cpu is not None else {}),
                "rabbitmq_whole_node": rabbit_cpu * 1000 / events,
                "bench_itself": load_cpu * 1000 / events,  # the load and the counting
            },
            "load_average": [load_before, load_average()],
        }

    def _profile(self, kind: str, pids: dict[str, int]) -> list[subprocess.Popen[bytes]]:
        """py-spy on every service for this window (``--profile DIR``): collapsed stacks."""
        if self.profile is None or kind == "warm-up":
            return []
        self.profile.mkdir(parents=True, exist_ok=True)
        return [
            subprocess.Popen(
                [
                    "py-spy",
                    "record",
                    "--format",
                    "raw",
                    "--rate",
                    "200",
                    "--pid",
                    str(pid),
                    "--output",
                    str(self.profile / f"{name}-{kind}.txt"),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for name, pid in pids.items()
        ]

    async def http_window(self, count: int, rate_: float | None = None) -> set[str]:
        since = time.time() - 0.001
        await send_commands(
            self.processes["planner"].url,
            self.planner_token(),
            self.commands,
            count=count,
            clients=self.plan.clients,
            rate=rate_,
        )
        rows = await self.db.fetch(
            "SELECT event_id FROM planner.outbox WHERE created_at >= to_timestamp($1) "
            "AND type = 'workplan.hearing.scheduled.v1'",
            since,
        )
        return {row[0] for row in rows}

    async def bus_window(self, count: int) -> set[str]:
        events = bus_events(self.item_ids, count)
        self._bus_count += count
        await publish_events(self.publisher, self.topology, events)
        return {event.id for event in events}

    async def _postgres_cpu(self, before: dict[int, float] | None = None) -> Any:
        """CPU seconds of the database's server processes serving the bench database."""
        try:
            rows = await self.db.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            )
        except Exception:
            return None
        now = {row[0]: cpu_seconds(row[0]) for row in rows}
        if before is None:
            return now
        return sum(value - before.get(pid, 0.0) for pid, value in now.items())


async def run_bench(plan: Plan, json_path: Path | None, profile: Path | None = None) -> int:
    """Run everything, print the table, write the JSON; non-zero if any event was lost or
    handled twice."""
    workdir = Path(tempfile.mkdtemp(prefix="workplan-bench-"))
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "plan": plan.__dict__,
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": load_average()},
    }
    pipeline = Pipeline(plan, workdir, profile)
    try:
        await pipeline.create_database()
        raw = await RawHop(
            WorkplanSettings().amqp_url.get_secret_value(),
            pipeline.dsn,
            f"bench-raw-{uuid.uuid4().hex[:8]}",
        ).run(
            plan.raw_events,
            int(plan.latency_rate * plan.raw_paced_seconds),
            plan.latency_rate,
        )
        results["raw"] = {
            "events_per_s": raw.rate,
            "cpu_ms_per_event": raw.cpu_ms_per_event,
            "latency_ms": percentiles(raw.latencies_ms),
            "latency_rate": plan.latency_rate,
        }
        idle = await pipeline.start()
        results["idle_rss_mb"] = idle
        await pipeline.window("warm-up", lambda: pipeline.http_window(plan.warm_up), plan.warm_up)
        await pipeline.window("warm-up", lambda: pipeline.bus_window(plan.warm_up), plan.warm_up)
        windows: list[dict[str, Any]] = []
        for _ in range(plan.repeats):
            windows.append(
                await pipeline.window(
                    "http", lambda: pipeline.http_window(plan.http_commands), plan.http_commands
                )
            )
            windows.append(
                await pipeline.window(
                    "bus", lambda: pipeline.bus_window(plan.bus_events), plan.bus_events
                )
            )
            paced = int(plan.latency_rate * plan.latency_seconds)
            windows.append(
                await pipeline.window(
                    "paced",
                    lambda paced=paced: pipeline.http_window(paced, plan.latency_rate),
                    paced,
                )
            )
        results["windows"] = windows
        results["peak_rss_mb"] = {
            name: memory_mb(p.pid)[1] for name, p in pipeline.processes.items()
        }
        checked = await integrity(pipeline.db, pipeline.sink, pipeline.expected)
        results["integrity"] = {**checked.__dict__, "events_checked": len(pipeline.expected)}
    finally:
        await pipeline.stop()
    results["summary"] = summary(results)
    report(results)
    path = json_path or ROOT / "bench" / "results" / f"pipeline-{results['when'][:19]}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str))
    print(f"written: {path}")
    return 0 if checked.ok else 1


def summary(results: dict[str, Any]) -> dict[str, Any]:
    """Medians over the repeats of every figure the goals name."""

    def median(kind: str, *keys: str) -> float:
        values = []
        for window in results["windows"]:
            if window["kind"] == kind:
                value: Any = window
                for key in keys:
                    value = value[key]
                values.append(value)
        return statistics.median(values) if values else 0.0

    raw = results["raw"]["events_per_s"]
    bus = median("bus", "end_to_end_per_s")
    return {
        "raw_events_per_s": raw,
        "bus_end_to_end_per_s": bus,
        "bus_ratio_to_raw": bus / raw if raw else 0.0,
        "http_end_to_end_per_s": median("http", "end_to_end_per_s"),
        "http_ratio_to_raw": median("http", "end_to_end_per_s") / raw if raw else 0.0,
        "cpu_ms_per_event": {
            "planner (http)": median("http", "cpu_ms_per_event", "planner"),
            "archive (bus)": median("bus", "cpu_ms_per_event", "archive"),
            "archive (paced)": median("paced", "cpu_ms_per_event", "archive"),
            "notifier (bus)": median("bus", "cpu_ms_per_event", "notifier"),
            "postgres (bus)": median("bus", "cpu_ms_per_event", "postgres"),
            "raw hop": results["raw"]["cpu_ms_per_event"],
        },
        "paced_rate": results["plan"]["latency_rate"],
        "commit_to_archived_ms": {
            p: median("paced", "latency_ms", "commit_to_archived", p) for p in ("p50", "p95", "p99")
        },
        "commit_to_email_ms": {
            p: median("paced", "latency_ms", "commit_to_email", p) for p in ("p50", "p95", "p99")
        },
        "raw_latency_ms": results["raw"]["latency_ms"],
        "idle_rss_mb": results.get("idle_rss_mb", {}),
        "peak_rss_mb": results.get("peak_rss_mb", {}),
        "integrity": results.get("integrity", {}),
    }


def _sample(checkout: str | None) -> Path:
    return Path(checkout) / SAMPLE.relative_to(ROOT) if checkout else SAMPLE


def _free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _delete_broker_objects(amqp_url: str, topology: Topology) -> None:
    import aio_pika  # noqa: PLC0415

    connection = await aio_pika.connect(amqp_url)
    async with connection:
        for service in SERVICES:
            for queue in topology.declared_queues(service):
                channel = await connection.channel()
                with contextlib.suppress(Exception):  # gone already
                    await channel.queue_delete(queue)
        for exchange in (
            *(name for service in SERVICES for name in topology.declared_exchanges(service)),
            topology.events_exchange,
            topology.dead_letter_exchange,
        ):
            channel = await connection.channel()
            with contextlib.suppress(Exception):
                await channel.exchange_delete(exchange)


def main(quick: bool, json_path: Path | None, profile: Path | None = None) -> int:
    plan = Plan.quick() if quick else Plan.full()
    return asyncio.run(run_bench(plan, json_path, profile))
