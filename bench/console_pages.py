"""Server time of every page of the staff console, and the console's memory.

Usage: ``python -m bench.console_pages [--items 10000] [--runs 30]``. Makes a scratch
database (removed afterwards) and a broker prefix of its own; imports the sample work plan
plus N generated items in the same session through the planner (so every item leaves as an
event and the archive and notifier record it, as in production); runs the planner, archive
and notifier on real ports in this process, and the console as its own process (what
``workplan console`` runs); signs in a member of staff with every role, and times each
page over HTTP, one request at a time after a warm-up: p50/p95 per page. The console's peak
RSS is read from /proc (VmHWM).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aio_pika
import asyncpg
import httpx
import yaml
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from migrations.runner import upgrade
from services.archive.main import create_app as create_archive
from services.archive.settings import ArchiveSettings
from services.console.bootstrap import bootstrap as bootstrap_console
from services.console.handlers import accounts
from services.console.settings import ConsoleSettings
from services.notifier.main import create_app as create_notifier
from services.notifier.settings import NotifierSettings
from services.planner.bootstrap import bootstrap as bootstrap_planner
from services.planner.handlers.plan_file import PlanFile
from services.planner.handlers.plan_import import import_plan
from services.planner.main import create_app as create_planner
from services.planner.settings import PlannerSettings
from shared.auth.tokens import mint_token
from shared.messaging.topology import Topology

SAMPLE = (
    Path(__file__).resolve().parents[1] / "examples" / "2026-spring-international-relations.yaml"
)
PASSWORD = "benchmark-password"
PLAN = "MM-IRIPT/2026-spring"
STATUSES = ("planned", "in_progress", "completed", "deferred", "cancelled")
CATEGORIES = ("cooperation", "delegation_support", "meeting_series", "hearing", "review")
ORGANIZATIONS = ("PACE", "OSCE-PA", "NATO-PA", "TURKPA", "IPU", "MFA", "PABSEC")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def generated_plan(count: int) -> PlanFile:
    """The sample plan and ``count`` more items in its session, of every status and kind."""
    raw: dict[str, Any] = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    for g in range(1, count + 1):
        raw["items"].append({
            "ref": f"generated-{g}",
            "title": {"en": f"Generated item {g} on cooperation",
                      "az": f"Yaradılmış bənd {g} əməkdaşlıq haqqında"},
            "description": {"en": f"A description of item {g}"},
            "category": CATEGORIES[g % 5],
            "organizations": [ORGANIZATIONS[g % 7]],
            "owners": ["Committee chair", f"Owner {g % 40}"],
            "status": STATUSES[g % 5],
            "classification": ("public", "internal", "restricted")[g % 3],
            "tags": ["generated"],
        })  # fmt: skip
    return PlanFile.model_validate(raw)


async def main(items: int, runs: int) -> None:
    server = make_url(
        os.environ.get(
            "WORKPLAN_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1/postgres"
        )
    )
    amqp = os.environ.get("WORKPLAN_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    admin = server.set(drivername="postgresql", database="postgres").render_as_string(False)
    name = f"workplan_bench_console_{uuid.uuid4().hex[:8]}"
    connection = await asyncpg.connect(admin)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
    url = server.set(drivername="postgresql+asyncpg", database=name).render_as_string(False)
    prefix = f"bench-console-{uuid.uuid4().hex[:8]}"
    try:
        await run(url, amqp, prefix, items, runs)
    finally:
        await delete_queues(amqp, Topology(prefix))
        connection = await asyncpg.connect(admin)
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.close()


async def delete_queues(amqp: str, topology: Topology) -> None:
    connection = await aio_pika.connect(amqp)
    async with connection:
        for service in ("planner", "archive", "notifier"):
            for queue in topology.declared_queues(service):
                channel = await connection.channel()
                with contextlib.suppress(Exception):
                    await channel.queue_delete(queue)


@contextlib.asynccontextmanager
async def serving(app: Any, port: int) -> AsyncIterator[None]:
    import uvicorn  # noqa: PLC0415

    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="on",
                            log_config=None, log_level="warning")  # fmt: skip
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        await task


async def run(url: str, amqp: str, prefix: str, items: int, runs: int) -> None:
    upgrade(url)
    common: dict[str, Any] = {
        "database_url": SecretStr(url), "amqp_url": SecretStr(amqp), "broker_prefix": prefix,
        "log_json": False, "log_level": "WARNING", "_env_file": None,
    }  # fmt: skip
    planner_settings = PlannerSettings(**common)
    planner = bootstrap_planner(planner_settings)
    started = time.perf_counter()
    await import_plan(generated_plan(items), planner.uow())
    await planner.close()
    print(f"sample plan + {items:,} generated items imported in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip

    ports = {name: free_port() for name in ("planner", "archive", "notifier", "console")}
    mail = Path(f"/tmp/{prefix}-mail")
    console_settings = ConsoleSettings(**common)
    console = bootstrap_console(console_settings)
    await accounts.add_account(
        console.accounts, console.passwords, "staff",
        roles=["clerk", "analyst", "cleared", "admin"], password=PASSWORD, language="en",
        email="staff@example.gov.az",
    )  # fmt: skip
    await console.close()

    async with contextlib.AsyncExitStack() as running:
        await running.enter_async_context(serving(create_archive(ArchiveSettings(**common)),
                                                  ports["archive"]))  # fmt: skip
        await running.enter_async_context(serving(create_notifier(NotifierSettings(**common)),
                                                  ports["notifier"]))  # fmt: skip
        await running.enter_async_context(serving(create_planner(planner_settings),
                                                  ports["planner"]))  # fmt: skip
        archived = await until_archived(url, ports["archive"], planner_settings)
        print(f"archived {archived:,} items after {time.perf_counter() - started:.1f} s")
        await until_consumed(amqp, Topology(prefix))
        print(f"notified after {time.perf_counter() - started:.1f} s")
        environment = {
            **os.environ,
            "WORKPLAN_DATABASE_URL": url,
            "WORKPLAN_CONSOLE_PORT": str(ports["console"]),
            "WORKPLAN_PLANNER_URL": f"http://127.0.0.1:{ports['planner']}",
            "WORKPLAN_ARCHIVE_URL": f"http://127.0.0.1:{ports['archive']}",
            "WORKPLAN_NOTIFIER_URL": f"http://127.0.0.1:{ports['notifier']}",
            "WORKPLAN_BROKER_PREFIX": prefix,
            "WORKPLAN_COOKIE_SECURE": "false",
            "WORKPLAN_LOG_LEVEL": "WARNING",
            "WORKPLAN_MAIL_CATCHER_DIR": str(mail),
        }
        console_alone = "from services.console.main import run; run()"  # `workplan console`
        process = subprocess.Popen(  # noqa: ASYNC220 - started once, before timing
            [sys.executable, "-c", console_alone], env=environment
        )
        try:
            await time_pages(f"http://127.0.0.1:{ports['console']}", url, runs)
            status = Path(f"/proc/{process.pid}/status").read_text()  # noqa: ASYNC240 - once
            peak = re.search(r"VmHWM:\s+(\d+) kB", status)
            print(f"console peak RSS: {int(peak[1]) / 1024:.0f} MB" if peak else "RSS unknown")
        finally:
            process.terminate()
            process.wait(timeout=30)


async def until_archived(url: str, archive_port: int, settings: PlannerSettings) -> int:
    """Wait until the archive has recorded every item of the plan (it follows by events)."""
    raw = await asyncpg.connect(make_url(url).set(drivername="postgresql").render_as_string(False))
    wanted = await raw.fetchval("SELECT count(*) FROM planner.items")
    await raw.close()
    token = mint_token(settings, subject="bench", scopes=["archive:read", "archive:restricted"])
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{archive_port}") as archive:
        for _ in range(3000):
            answer = await archive.get(
                "/api/v1/items", params={"committee": "MM-IRIPT", "limit": 1},
                headers={"Authorization": f"Bearer {token}"},
            )  # fmt: skip
            total = int(answer.headers.get("x-total-count", "0"))
            if total >= wanted:
                return total
            await asyncio.sleep(0.2)
    raise RuntimeError(f"the archive recorded {total} of {wanted} items")


async def until_consumed(amqp: str, topology: Topology) -> None:
    """Wait until the archive's and notifier's queues are empty: the pages are timed on
    services at rest, not while they take in the generated plan."""
    connection = await aio_pika.connect(amqp)
    async with connection:
        channel = await connection.channel()
        for _ in range(3000):
            waiting = 0
            for service in ("archive", "notifier"):
                for name in topology.consumed_queues(service):
                    queue = await channel.declare_queue(name, passive=True)
                    waiting += queue.declaration_result.message_count or 0
            if not waiting:
                await asyncio.sleep(2)  # the last batches commit
                return
            await asyncio.sleep(0.5)


async def time_pages(base: str, url: str, runs: int) -> None:
    raw = await asyncpg.connect(make_url(url).set(drivername="postgresql").render_as_string(False))
    some_item = await raw.fetchval("SELECT id FROM planner.items WHERE ref = 'generated-7'")
    hearing = await raw.fetchval("SELECT id FROM planner.hearings ORDER BY starts_at LIMIT 1")
    await raw.close()
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for _ in range(300):
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get("/readyz")).status_code == 200:
                    break
            await asyncio.sleep(0.1)
        form = await client.get("/sign-in")
        csrf = client.cookies.get("workplan_sign_in")
        signed = await client.post("/sign-in", data={"username": "staff", "password": PASSWORD,
                                                     "csrf_token": csrf})  # fmt: skip
        assert signed.status_code == 303, (form.status_code, signed.text[:500])
        pages = {
            "work plan (all items)": "/",
            "work plan, text filter": "/?q=xocali",
            "work plan, status filter": "/?status=completed",
            "item": f"/items/{some_item}",
            "new item form": f"/items/new?plan={PLAN}",
            "schedule hearing form": f"/items/{some_item}/hearings/new",
            "reschedule form": f"/hearings/{hearing}/reschedule",
            "calendar, month": f"/calendar?plan={PLAN}&month=2026-03",
            "calendar, agenda": f"/calendar?plan={PLAN}&month=2026-03&view=agenda",
            "hearing .ics": f"/hearings/{hearing}/calendar.ics",
            "inbox": "/inbox",
            "inbox count (htmx)": "/inbox/count",
            "my notifications": "/my/notifications",
            "search": "/search?q=xocali",
            "search, common word": "/search?q=cooperation",
            "search as you type": "/search/results?q=coop",
            "search CSV": "/search.csv?q=cooperation",
            "report": f"/report?plan={PLAN}",
            "report CSV": f"/report.csv?plan={PLAN}",
            "admin": "/admin",
            "admin: recipients": "/admin/recipients",
            "admin: webhooks": "/admin/webhooks",
            "admin: deliveries": "/admin/deliveries",
            "admin: dead letters": "/admin/dead-letters",
            "admin: caught mail": "/admin/mail",
        }
        print(f"{'page':28} {'p50 ms':>8} {'p95 ms':>8} {'size kB':>8}")
        for label, path in pages.items():
            for _ in range(3):
                await client.get(path)
            times, size = [], 0
            for _ in range(runs):
                begun = time.perf_counter()
                response = await client.get(path)
                times.append((time.perf_counter() - begun) * 1000)
                assert response.status_code == 200, (
                    path,
                    response.status_code,
                    response.text[:300],
                )
                size = len(response.content)
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
            print(f"{label:28} {statistics.median(times):8.1f} {p95:8.1f} {size / 1024:8.0f}",
                  flush=True)  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.items, arguments.runs))
