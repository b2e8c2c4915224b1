"""Run services: ``migrate``, ``planner``, and ``up`` (every service, each in its own process)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.console import Console

from migrations.runner import SERVICES as MIGRATED
from migrations.runner import upgrade
from shared.db.bootstrap_database import ensure_database
from shared.settings import WorkplanSettings

console = Console(stderr=True)
SAMPLE = (
    Path(__file__).resolve().parents[2] / "examples" / "2026-spring-international-relations.yaml"
)
SERVICES = {
    "planner": ("WORKPLAN_PLANNER_HOST", "WORKPLAN_PLANNER_PORT", "127.0.0.1", 8001),
    "archive": ("WORKPLAN_ARCHIVE_HOST", "WORKPLAN_ARCHIVE_PORT", "127.0.0.1", 8002),
    "notifier": ("WORKPLAN_NOTIFIER_HOST", "WORKPLAN_NOTIFIER_PORT", "127.0.0.1", 8003),
    "console": ("WORKPLAN_CONSOLE_HOST", "WORKPLAN_CONSOLE_PORT", "127.0.0.1", 8000),
}
"""Every service that exists, with where its HTTP API listens by default."""


def migrate() -> None:
    """Create the database if missing and upgrade every service schema to head."""
    url = WorkplanSettings().database_url.get_secret_value()
    asyncio.run(ensure_database(url))
    upgrade(url)
    console.print(f"migrated: {', '.join(MIGRATED)}")


def planner() -> None:
    """Run the planner: HTTP API, consumers and outbox relay in one process."""
    from services.planner.main import run  # noqa: PLC0415 - load only the service asked for

    run()


def archive(ctx: typer.Context) -> None:
    """Run the archive: HTTP query API and the consumer of every event, in one process."""
    if ctx.invoked_subcommand is None:
        from services.archive.main import run  # noqa: PLC0415

        run()


def notifier() -> None:
    """Run the notifier: HTTP API, consumer, delivery and digest workers in one process."""
    from services.notifier.main import run  # noqa: PLC0415

    run()


def up(
    sample: Annotated[bool, typer.Option(help="Import the sample work plan.")] = True,
    ready_timeout: Annotated[float, typer.Option(help="Seconds to wait for readiness.")] = 60,
) -> None:
    """Migrate, load the sample work plan, start every service; Ctrl-C stops them all."""
    migrate()
    if sample:
        _run([sys.executable, "-m", "workplan.cli", "import", str(SAMPLE)])
        demo_user()
    processes = {
        name: subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "workplan.cli", name], env=_environment(name)
        )
        for name in SERVICES
    }
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    urls = _wait_ready(processes, ready_timeout)
    for name, url in urls.items():
        if name != "console":
            console.print(f"[green]{name}[/green] {url}/docs   (ready: {url}/readyz)")
    if "console" in urls:
        console.print(
            f"[bold green]staff console[/bold green] {urls['console']}/   "
            + (f"sign in as {DEMO_USER!r}, password {DEMO_PASSWORD!r}" if sample else "")
        )
    console.print("mint a token: workplan tokens create --scope planner:read --scope planner:write")
    while not stopping and all(p.poll() is None for p in processes.values()):
        time.sleep(0.5)
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes.values():
        process.wait(timeout=60)
    failed = [name for name, p in processes.items() if p.returncode not in (0, -signal.SIGTERM)]
    if failed and not stopping:
        raise typer.Exit(1)


DEMO_USER, DEMO_PASSWORD = "demo", "workplan-demo"
"""A sign-in for the sample data on a local machine (made by ``workplan up``)."""


def demo_user() -> None:
    """Add the demo clerk (every role) unless an account of that name exists."""
    subprocess.run(  # noqa: S603 - our own command line
        [
            sys.executable, "-m", "workplan.cli", "users", "add", DEMO_USER,
            "--role", "clerk", "--role", "analyst", "--role", "cleared", "--role", "admin",
            "--name", "Demo clerk", "--email", "demo@workplan.local", "--language", "az",
            "--password", DEMO_PASSWORD,
        ],
        check=False,
        capture_output=True,
    )  # fmt: skip


def _environment(service: str) -> dict[str, str]:
    """The console is served over plain http on this machine: its cookie cannot be Secure."""
    if service == "console":
        return {"WORKPLAN_COOKIE_SECURE": "false", **os.environ}
    return dict(os.environ)


def _wait_ready(processes: dict[str, subprocess.Popen[bytes]], timeout: float) -> dict[str, str]:
    urls = {}
    for name in processes:
        host_var, port_var, host, port = SERVICES[name]
        urls[name] = f"http://{os.environ.get(host_var, host)}:{os.environ.get(port_var, port)}"
    deadline = time.monotonic() + timeout
    pending = dict(urls)
    while pending and time.monotonic() < deadline:
        for name, url in list(pending.items()):
            if processes[name].poll() is not None:
                console.print(f"[red]{name} exited[/red] with {processes[name].returncode}")
                raise typer.Exit(1)
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    del pending[name]
            except httpx.HTTPError:
                pass
        time.sleep(0.5)
    if pending:
        console.print(f"[yellow]not ready after {timeout:g} s:[/yellow] {', '.join(pending)}")
    return urls


def _run(command: list[str]) -> None:
    result = subprocess.run(command, check=False)  # noqa: S603
    if result.returncode != 0:
        raise typer.Exit(result.returncode)
