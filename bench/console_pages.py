"""Server time of the staff console's pages, and the console's memory.

Usage: ``python -m bench.console_pages [--items 10000] [--runs 30]``. Makes a scratch
database (removed afterwards) with the sample work plan plus N generated items in the same
session (made in SQL, as the planner stores them), runs the planner's API on a real port
in this process and the console as its own process (what ``workplan console`` runs), signs a clerk
in, and times each page over HTTP, one request at a time after a warm-up: p50/p95 per
page. The console's peak RSS is read from /proc (VmHWM).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from migrations.runner import upgrade
from services.console.bootstrap import bootstrap as bootstrap_console
from services.console.handlers import accounts
from services.console.settings import ConsoleSettings
from services.planner.bootstrap import bootstrap as bootstrap_planner
from services.planner.entrypoints.cli import read_plan_file
from services.planner.handlers.plan_import import import_plan
from services.planner.main import create_app as create_planner
from services.planner.settings import PlannerSettings

SAMPLE = (
    Path(__file__).resolve().parents[1] / "examples" / "2026-spring-international-relations.yaml"
)
PASSWORD = "benchmark-password"
GENERATE = """
INSERT INTO planner.items (id, work_plan_id, committee, session, ref, title, description,
    category, organizations, owners, period_start, period_end, status, classification, tags,
    version)
SELECT gen_random_uuid(), $1, 'MM-IRIPT', '2026-spring', 'generated-' || g,
    jsonb_build_object('en', 'Generated item ' || g || ' on cooperation',
                       'az', 'Yaradılmış bənd ' || g || ' əməkdaşlıq haqqında'),
    jsonb_build_object('en', 'A description of item ' || g),
    (ARRAY['cooperation','delegation_support','meeting_series','hearing','review'])[1 + g % 5],
    ARRAY[(ARRAY['PACE','OSCE-PA','NATO-PA','TURKPA','IPU','MFA','PABSEC'])[1 + g % 7]],
    ARRAY['Committee chair', 'Owner ' || (g % 40)],
    date '2026-02-01' + (g % 60), date '2026-04-01' + (g % 60),
    (ARRAY['planned','in_progress','completed','deferred','cancelled'])[1 + g % 5],
    (ARRAY['public','internal','restricted'])[1 + g % 3],
    ARRAY['generated'], 1
FROM generate_series(1, $2) AS g
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def main(items: int, runs: int) -> None:
    server = make_url(
        os.environ.get(
            "WORKPLAN_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1/postgres"
        )
    )
    admin = server.set(drivername="postgresql", database="postgres").render_as_string(False)
    name = f"workplan_bench_console_{uuid.uuid4().hex[:8]}"
    connection = await asyncpg.connect(admin)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
    url = server.set(drivername="postgresql+asyncpg", database=name).render_as_string(False)
    try:
        await run(url, items, runs)
    finally:
        connection = await asyncpg.connect(admin)
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.close()


async def run(url: str, items: int, runs: int) -> None:
    upgrade(url)
    planner_settings = PlannerSettings(database_url=SecretStr(url), log_json=False, _env_file=None)
    planner = bootstrap_planner(planner_settings)
    await import_plan(read_plan_file(SAMPLE), planner.uow())
    raw = await asyncpg.connect(make_url(url).set(drivername="postgresql").render_as_string(False))
    plan_id = await raw.fetchval("SELECT id FROM planner.work_plans")
    started = time.perf_counter()
    await raw.execute(GENERATE, plan_id, items)
    some_item = await raw.fetchval("SELECT id FROM planner.items WHERE ref = 'generated-7'")
    await raw.close()
    await planner.engine.dispose()
    print(f"{items:,} generated items in {time.perf_counter() - started:.1f} s")

    planner_port, console_port = free_port(), free_port()
    console_settings = ConsoleSettings(database_url=SecretStr(url), _env_file=None)
    console = bootstrap_console(console_settings)
    await accounts.add_account(
        console.accounts, console.passwords, "clerk", roles=["clerk", "cleared"],
        password=PASSWORD, language="en",
    )  # fmt: skip
    await console.close()

    import uvicorn  # noqa: PLC0415

    app = create_planner(planner_settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=planner_port, lifespan="off",
                            log_config=None, log_level="warning")  # fmt: skip
    api = uvicorn.Server(config)
    api_task = asyncio.create_task(api.serve())
    environment = {
        **os.environ,
        "WORKPLAN_DATABASE_URL": url,
        "WORKPLAN_CONSOLE_PORT": str(console_port),
        "WORKPLAN_PLANNER_URL": f"http://127.0.0.1:{planner_port}",
        "WORKPLAN_COOKIE_SECURE": "false",
        "WORKPLAN_LOG_LEVEL": "WARNING",
    }
    console_alone = "from services.console.main import run; run()"  # what `workplan console` runs
    process = subprocess.Popen(  # noqa: ASYNC220 - started once, before timing
        [sys.executable, "-c", console_alone], env=environment
    )
    base = f"http://127.0.0.1:{console_port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            for _ in range(200):
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
            form = await client.get("/sign-in")
            csrf = client.cookies.get("workplan_sign_in")
            signed = await client.post("/sign-in", data={"username": "clerk", "password": PASSWORD,
                                                         "csrf_token": csrf})  # fmt: skip
            assert signed.status_code == 303, (form.status_code, signed.text[:500])
            pages = {
                "work plan (all items)": "/",
                "work plan, text filter": "/?q=xocali",
                "work plan, status filter": "/?status=completed",
                "item": f"/items/{some_item}",
                "new item form": "/items/new?plan=MM-IRIPT/2026-spring",
                "schedule hearing form": f"/items/{some_item}/hearings/new",
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
                    assert response.status_code == 200, (path, response.status_code)
                    size = len(response.content)
                times.sort()
                p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
                print(f"{label:28} {statistics.median(times):8.1f} {p95:8.1f} {size / 1024:8.0f}")
        status = Path(f"/proc/{process.pid}/status").read_text()  # noqa: ASYNC240 - once
        peak = re.search(r"VmHWM:\s+(\d+) kB", status)
        print(f"console peak RSS: {int(peak[1]) / 1024:.0f} MB" if peak else "RSS unknown")
    finally:
        process.terminate()
        process.wait(timeout=30)
        api.should_exit = True
        await api_task


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.items, arguments.runs))
