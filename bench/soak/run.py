"""``workplan soak``: drive load through the whole system while faults are injected, then
check that nothing committed was lost and no effect was applied twice.

1. Its own servers (:mod:`bench.soak.stack`): PostgreSQL, a three-node RabbitMQ cluster, an
   SMTP sink, a webhook receiver; the schemas migrated; the planner, archive and notifier
   as processes; one recipient subscribed to hearings by e-mail and in-app and to every event
   by webhook; the sample work plan imported.
2. Load (:mod:`bench.soak.load`), paced: staff actions through the HTTP API and
   ``meeting.held`` events from a registered external system on the bus. Meanwhile, after a
   short warm-up, the faults (:mod:`bench.soak.faults`) one after the other, each kind once
   a round.
3. Quiet: every outbox row published, every event archived and handled by the notifier, no
   delivery pending. Then the check (:mod:`bench.soak.checker`) and the figures: a table,
   and JSON.

Everything it started is stopped and removed afterwards, also on failure and on Ctrl-C.
The exit code is 1 when anything was lost or applied twice, an e-mail or webhook was sent
twice next to a fault other than a SIGKILL, a fault could not be injected or recovered
from, or the system did not come quiet.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import signal
import statistics
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.pipeline.load import COMMITTEE, SESSION
from bench.pipeline.processes import load_average
from bench.soak import checker
from bench.soak.faults import KINDS, TAKES_SECONDS, FaultInjector, first_after
from bench.soak.load import ExternalEvents, LoadCounts, StaffActions
from bench.soak.metrics_watch import MetricsWatch
from bench.soak.report import report
from bench.soak.stack import EXTERNAL_SOURCE, SERVICES, Stack
from shared.auth.tokens import mint_token
from shared.messaging.topology import Topology
from shared.settings import WorkplanSettings

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "2026-spring-international-relations.yaml"


@dataclass(frozen=True)
class SoakPlan:
    events: int = 5_000
    """Staff actions plus external events, in all."""
    rate: float | None = None
    """Events offered per second (both kinds together); None: spread over the faults."""
    http_share: float = 0.6
    clients: int = 4
    rounds: int = 1
    """Each fault kind this many times."""
    kinds: tuple[str, ...] = KINDS
    down_for: float = 3.0
    """Seconds a stopped server or receiver stays down."""
    gap: float = 2.0
    """Seconds between one fault's recovery and the next fault."""
    warm_up: float = 3.0
    quiet_within: float = 300.0
    nodes: int = 3

    @property
    def offered_rate(self) -> float:
        """The rate given, or one that makes the load last about as long as the faults."""
        if self.rate is not None:
            return self.rate
        faults = sum(TAKES_SECONDS.get(kind, 0.0) + self.down_for for kind in self.kinds)
        seconds = self.warm_up + self.rounds * (faults + self.gap * len(self.kinds))
        return max(1.0, self.events / max(seconds, 1.0))

    def __post_init__(self) -> None:
        unknown = sorted(set(self.kinds) - set(KINDS))
        if unknown:
            raise ValueError(f"unknown fault kind(s) {unknown}; known: {', '.join(KINDS)}")
        if self.events < 10:
            raise ValueError(f"events must be at least 10, not {self.events}")
        if not 0 < self.http_share < 1:
            raise ValueError(f"http_share must be between 0 and 1, not {self.http_share}")
        if self.rate is not None and self.rate <= 0:
            raise ValueError(f"rate must be positive, not {self.rate}")
        if self.clients < 1 or self.rounds < 0 or self.down_for < 0:
            raise ValueError("clients must be at least 1; rounds and down_for not negative")


@dataclass
class Soak:
    plan: SoakPlan
    stack: Stack
    counts: LoadCounts = field(default_factory=LoadCounts)
    settings: WorkplanSettings = field(default_factory=WorkplanSettings)

    def token(self, *scopes: str) -> str:
        return mint_token(self.settings, subject="soak", scopes=list(scopes))

    async def prepare(self) -> list[str]:
        """Servers, schemas, services, the recipient, the sample plan; the public items."""
        await self.stack.start_servers()
        await asyncio.to_thread(self.stack.migrate)
        for name in SERVICES:
            self.stack.start_service(name)
        await self.stack.ready(within=240)
        await self._subscribe()
        await asyncio.to_thread(self.stack.import_sample, SAMPLE)
        return await self._public_items()

    async def _subscribe(self) -> None:
        headers = {"Authorization": f"Bearer {self.token('notifier:admin')}"}
        async with httpx.AsyncClient(
            base_url=self.stack.url("notifier"), headers=headers, timeout=30
        ) as http:
            created = await http.post(
                "/api/v1/recipients",
                json={
                    "name": "Nigar Quliyeva",
                    "email": "nigar@soak.workplan.test",
                    "language": "az",
                    "timezone": "Asia/Baku",
                },
            )
            created.raise_for_status()
            recipient = created.json()["id"]
            endpoint = await http.post(
                "/api/v1/webhook-endpoints",
                json={"recipient_id": recipient, "url": self.stack.receiver.url},
            )
            endpoint.raise_for_status()
            for channel, types in (
                ("email", "workplan.hearing.*"),
                ("inbox", "workplan.hearing.*"),
                ("webhook", "*"),
            ):
                subscribed = await http.post(
                    "/api/v1/subscriptions",
                    json={"recipient_id": recipient, "channel": channel, "event_type": types},
                )
                subscribed.raise_for_status()

    async def _public_items(self) -> list[str]:
        headers = {"Authorization": f"Bearer {self.token('planner:read')}"}
        async with httpx.AsyncClient(
            base_url=self.stack.url("planner"), headers=headers, timeout=30
        ) as http:
            found = await http.get(
                "/api/v1/items", params={"committee": COMMITTEE, "session": SESSION}
            )
            found.raise_for_status()
            return [item["id"] for item in found.json() if item["classification"] == "public"]

    async def drive(self, items: list[str], injector: FaultInjector) -> tuple[float, float]:
        """The load and the faults at the same time; (when the load began, how long it took)."""
        plan = self.plan
        rate = plan.offered_rate
        http_count = round(plan.events * plan.http_share)
        staff = StaffActions(
            self.stack.url("planner"), self.token("planner:read", "planner:write"), items,
            self.counts,
        )  # fmt: skip
        external = ExternalEvents(
            self.stack.cluster.amqp_urls, Topology(self.stack.prefix), EXTERNAL_SOURCE,
            self.counts,
        )  # fmt: skip
        began = time.time()

        async def load() -> float:
            try:
                await asyncio.gather(
                    staff.run(http_count, rate * plan.http_share, plan.clients),
                    external.run(plan.events - http_count, rate * (1 - plan.http_share)),
                )
            finally:
                await external.close()
            return time.time() - began

        async def faults() -> None:
            await asyncio.sleep(plan.warm_up)
            for _ in range(plan.rounds):
                for kind in plan.kinds:
                    await injector.inject(kind)
                    await asyncio.sleep(plan.gap)

        took, _ = await asyncio.gather(load(), faults())
        return began, took

    async def quiet(self, db: asyncpg.Connection, wanted: set[str]) -> float:
        """Wait until everything is handled and delivered; the seconds it took."""
        began = time.monotonic()
        while True:
            row = await db.fetchrow(
                "SELECT (SELECT count(*) FROM planner.outbox WHERE published_at IS NULL), "
                "(SELECT count(*) FROM archive.events WHERE event_id = ANY($1::text[])), "
                "(SELECT count(*) FROM notifier.inbox WHERE event_id = ANY($1::text[])), "
                "(SELECT count(*) FROM notifier.deliveries WHERE status IN ('queued','retrying'))",
                list(wanted),
            )
            assert row is not None
            if row[0] == 0 and row[1] >= len(wanted) and row[2] >= len(wanted) and row[3] == 0:
                return time.monotonic() - began
            if time.monotonic() - began > self.plan.quiet_within:
                raise TimeoutError(
                    f"not quiet after {self.plan.quiet_within:g} s: {row[0]} unpublished, "
                    f"{len(wanted) - row[1]} not archived, {len(wanted) - row[2]} not in the "
                    f"notifier, {row[3]} deliveries pending"
                )
            await asyncio.sleep(0.5)


async def run_soak(plan: SoakPlan, keep_logs: Path | None = None) -> dict[str, Any]:
    """Run it all; the figures (``figures["ok"]`` says whether the guarantees held)."""
    for noisy in ("aio_pika", "aiormq"):  # the load's reconnects while the broker is down
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    _stop_on_signals()
    workdir = Path(tempfile.mkdtemp(prefix="workplan-soak-"))
    stack = Stack(workdir, nodes=plan.nodes)
    soak = Soak(plan, stack)
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "plan": {**asdict(plan), "kinds": list(plan.kinds), "offered_rate": plan.offered_rate},
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": load_average()},
        "folders": {"workdir": str(workdir), "postgres": str(stack.postgres.folder)},
    }
    watch: MetricsWatch | None = None
    db: asyncpg.Connection | None = None
    began_all = time.monotonic()
    try:
        items = await soak.prepare()
        results["set_up_seconds"] = time.monotonic() - began_all
        watch = MetricsWatch(
            {name: stack.url(name) for name in SERVICES},
            {name: process.pid for name, process in stack.processes.items()},
        )
        watch.start()
        injector = FaultInjector(stack, watch, down_for=plan.down_for)
        load_began, load_seconds = await soak.drive(items, injector)
        results["load_seconds"] = load_seconds
        db = await asyncpg.connect(stack.dsn)  # after the faults: a restart cuts connections
        pending = await checker.expected(db, load_began, soak.counts.external, EXTERNAL_SOURCE)
        results["quiet_seconds"] = await soak.quiet(db, pending.everything)
        await asyncio.sleep(3)  # a last straggler (a repeat) would show now
        await watch.stop()
        results.update(await _figures(db, soak, injector, load_began))
    except Exception as exc:  # reported with the figures so far; the exit code says it
        results["error"] = f"{type(exc).__name__}: {exc}"
        results["traceback"] = traceback.format_exc()
        results["failures"] = [results["error"]]
        results["ok"] = False
    finally:
        results["total_seconds"] = time.monotonic() - began_all
        if watch is not None:
            await watch.stop()
        if db is not None:
            await db.close()
        if keep_logs is not None:
            await asyncio.to_thread(_copy_logs, workdir, keep_logs)
        await stack.remove()
        shutil.rmtree(workdir, ignore_errors=True)
    return results


async def _figures(
    db: asyncpg.Connection, soak: Soak, injector: FaultInjector, load_began: float
) -> dict[str, Any]:
    wanted = await checker.expected(db, load_began, soak.counts.external, EXTERNAL_SOURCE)
    stores = await checker.stores(db, wanted)
    email = await checker.sent(db, "email", wanted.load_hearings, soak.stack.sink.accepted)
    webhook = await checker.sent(db, "webhook", wanted.load, soak.stack.receiver.received)
    faults = injector.injected
    for fault in faults:
        if fault.kind == "mail-down":
            fault.ready_seconds = first_after(soak.stack.sink.accepted, fault.restarted)
        elif fault.kind == "webhook-down":
            fault.ready_seconds = first_after(soak.stack.receiver.received, fault.restarted)
    for fault in faults:
        if fault.ready_seconds is not None:
            fault.outage_seconds = fault.restarted - fault.started + fault.ready_seconds
    email_twice = checker.attribute(email.twice, faults)
    webhook_twice = checker.attribute(webhook.twice, faults)
    assert injector.watch is not None
    metrics = injector.watch.totals()
    counts = soak.counts
    figures: dict[str, Any] = {
        "events_driven": {
            "staff_actions_http": counts.http_answered,
            "external_events_bus": counts.bus_confirmed,
            "total": counts.driven,
            "committed_in_outbox": len(wanted.committed),
            "events_checked": len(wanted.everything),
            "http_retries": counts.http_retries,
            "bus_retries": counts.bus_retries,
            "repeated_reschedules_refused": counts.repeated_reschedules_refused,
        },
        "faults": {
            "injected_by_kind": dict(Counter(fault.kind for fault in faults)),
            "total": len(faults),
            "failed": [f"{fault.kind}: {fault.error}" for fault in faults if fault.error],
            "list": [asdict(fault) for fault in faults],
            "ready_seconds_by_kind": _ready_by_kind(faults),
        },
        "stores": {store.name: store.figures() for store in stores},
        "email": email.figures(email_twice),
        "webhook": webhook.figures(webhook_twice),
        "redeliveries": {
            "repeats_dropped_by_inboxes": metrics["workplan_events_duplicate_total"],
            "by_service": injector.watch.by_service("workplan_events_duplicate_total"),
            "relay_publish_failures": metrics["workplan_outbox_publish_failures_total"],
            "dead_lettered": metrics["workplan_dead_letters_total"],
        },
    }
    lost = sum(store.figures()["lost"] for store in stores) + email.lost + webhook.lost
    twice = sum(store.figures()["applied_twice"] for store in stores)
    not_allowed = {
        kind: n
        for kind, n in (Counter(email_twice) + Counter(webhook_twice)).items()
        if not kind.startswith("kill-")
    }
    failures = []
    if lost:
        failures.append(f"{lost} lost")
    if twice:
        failures.append(f"{twice} effects applied twice")
    if not_allowed:
        failures.append(f"sent twice next to faults other than SIGKILL: {not_allowed}")
    failures += [f"fault {text}" for text in figures["faults"]["failed"]]
    if metrics["workplan_dead_letters_total"]:
        failures.append(f"{metrics['workplan_dead_letters_total']:g} dead-lettered")
    figures.update(
        lost=lost,
        applied_twice=twice,
        emails_sent_twice=email.figures(email_twice)["sent_twice"],
        webhooks_sent_twice=webhook.figures(webhook_twice)["sent_twice"],
        failures=failures,
        ok=not failures,
    )
    return figures


def _stop_on_signals() -> None:
    """Ctrl-C or SIGTERM cancels the run once (everything it started is then removed); a
    second one while that happens is ignored, so the removal is not cut short."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    told: list[int] = []

    def stop(number: signal.Signals) -> None:
        if not told:
            print(f"{number.name}: stopping and removing everything the soak started")
            task.cancel()
        told.append(number)

    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop, number)


def _copy_logs(workdir: Path, into: Path) -> None:
    into.mkdir(parents=True, exist_ok=True)
    for log in workdir.glob("*.log"):
        shutil.copy(log, into / log.name)


def _ready_by_kind(faults: list[Any]) -> dict[str, dict[str, float]]:
    """Per kind: seconds from the restart to ready (median, max) and from the fault's start."""
    ready: dict[str, list[float]] = {}
    outage: dict[str, list[float]] = {}
    for fault in faults:
        if fault.ready_seconds is not None:
            ready.setdefault(fault.kind, []).append(fault.ready_seconds)
            outage.setdefault(fault.kind, []).append(fault.outage_seconds)
    return {
        kind: {
            "median": statistics.median(values),
            "max": max(values),
            "n": len(values),
            "outage_max": max(outage[kind]),
        }
        for kind, values in ready.items()
    }


def main(plan: SoakPlan, json_path: Path | None, keep_logs: Path | None) -> int:
    """Run, print the table, write the JSON; 0 only when every guarantee held."""
    try:
        results = asyncio.run(run_soak(plan, keep_logs))
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted: everything the soak started is stopped and removed")
        return 130
    report(results)
    path = json_path or ROOT / "bench" / "results" / f"soak-{results['when'][:19]}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str))
    print(f"written: {path}")
    return 0 if results.get("ok") else 1
