"""Run services: ``migrate``, ``planner``, and ``up`` (every service, each in its own process)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Annotated, TextIO

import httpx
import typer
from rich.console import Console

from migrations.runner import SERVICES as MIGRATED
from migrations.runner import upgrade
from shared.db.bootstrap_database import ensure_database
from shared.runtime.mail_folder import MailFolder
from shared.settings import WorkplanSettings
from workplan.local_run.mail_catcher import MailCatcher
from workplan.local_run.ports import Listener, refusal, taken
from workplan.local_run.settings import LocalRunSettings
from workplan.local_run.supervisor import CombinedLog, Supervisor

console = Console(stderr=True)
SAMPLE = (
    Path(__file__).resolve().parents[2] / "examples" / "2026-spring-international-relations.yaml"
)


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
    """Migrate, load the sample work plan, start every service; Ctrl-C stops them all.

    Every port is checked first. The services' lines come in one log, each naming its
    service. When one service ends, the others are stopped; none is left behind. With no
    SMTP server configured, mail is caught locally (``workplan mail list``)."""
    settings = LocalRunSettings()
    log = CombinedLog(sys.stderr, colour=_colour(sys.stderr))
    catcher = None if settings.smtp_configured else _catcher(settings, log)
    clashes = taken(_listeners(settings, catcher))
    if clashes:
        log.line("up", refusal(clashes))
        raise typer.Exit(1)
    supervisor = Supervisor(log, grace_seconds=settings.graceful_timeout + 10)
    stopping = threading.Event()
    try:
        _migrate_quietly(settings, log)
        if sample:
            _load_sample(supervisor, log)
        if catcher is not None:
            catcher.start()
            log.line("up", f"no SMTP server configured: catching mail at {catcher.address} "
                     f"into {catcher.folder.path.resolve()} (workplan mail list)")  # fmt: skip
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signal_number, lambda *_: stopping.set())
        env = _service_env(settings, catcher)
        for name in settings.listeners():
            supervisor.start(name, [*WORKPLAN, name], env)
        if not _wait_ready(supervisor, settings, log, ready_timeout, stopping):
            raise typer.Exit(1)
        while not stopping.is_set() and not supervisor.ended():
            stopping.wait(0.5)
        if stopping.is_set():
            return  # asked to stop (Ctrl-C reaches the services too: they stop by themselves)
        for process in supervisor.ended():
            log.line("up", f"{process.name} ended with exit code {process.returncode}; "
                     "stopping the others")  # fmt: skip
        raise typer.Exit(1)
    finally:
        supervisor.stop()
        if catcher is not None:
            catcher.stop()
        if supervisor.processes:
            log.line("up", "stopped: " + ", ".join(supervisor.processes))


WORKPLAN = [sys.executable, "-m", "workplan.cli"]


def _load_sample(supervisor: Supervisor, log: CombinedLog) -> None:
    """The sample work plan, and the demo clerk who signs in to the console to see it."""
    if supervisor.run("import", [*WORKPLAN, "import", str(SAMPLE)]) != 0:
        log.line("up", "the sample work plan was not imported; stopping")
        raise typer.Exit(1)
    supervisor.run("users", DEMO_USER_COMMAND)  # refused, harmlessly, if it exists


def _colour(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def _catcher(settings: LocalRunSettings, log: CombinedLog) -> MailCatcher:
    def caught(path: Path, recipients: list[str]) -> None:
        log.line("mail", f"caught for {', '.join(recipients)}: workplan mail show {path.stem}")

    folder = MailFolder(settings.mail_catcher_dir)
    return MailCatcher(
        folder, settings.mail_catcher_host, settings.mail_catcher_port, caught=caught
    )


def _listeners(settings: LocalRunSettings, catcher: MailCatcher | None) -> list[Listener]:
    listeners = [
        Listener(name, host, port, f"WORKPLAN_{name.upper()}_PORT")
        for name, (host, port) in settings.listeners().items()
    ]
    if catcher is not None:
        listeners.append(
            Listener("mail catcher", catcher.host, catcher.port, "WORKPLAN_MAIL_CATCHER_PORT")
        )
    return listeners


def _migrate_quietly(settings: LocalRunSettings, log: CombinedLog) -> None:
    url = settings.database_url.get_secret_value()
    asyncio.run(ensure_database(url))
    upgrade(url)
    log.line("up", f"migrated: {', '.join(MIGRATED)}")


def _service_env(settings: LocalRunSettings, catcher: MailCatcher | None) -> dict[str, str]:
    """The services' environment: readable log lines unless JSON was asked for, and the
    mail catcher as their SMTP server when there is one."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if "log_json" not in settings.model_fields_set:
        env["WORKPLAN_LOG_JSON"] = "false"
    # the console is served over plain http on this machine: its cookie cannot be Secure
    env.setdefault("WORKPLAN_COOKIE_SECURE", "false")
    if catcher is not None:
        env["WORKPLAN_SMTP_HOST"], env["WORKPLAN_SMTP_PORT"] = catcher.host, str(catcher.port)
        # administrators read the caught mail in the console too
        env["WORKPLAN_MAIL_CATCHER_DIR"] = str(catcher.folder.path.resolve())
    return env


def _wait_ready(
    supervisor: Supervisor,
    settings: LocalRunSettings,
    log: CombinedLog,
    timeout: float,
    stopping: threading.Event,
) -> bool:
    """Wait until every service answers ``/readyz``; ``False`` when one ended first."""
    urls = {name: f"http://{host}:{port}" for name, (host, port) in settings.listeners().items()}
    pending = dict(urls)
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline and not stopping.is_set():
        for ended in supervisor.ended():
            log.line("up", f"{ended.name} ended with exit code {ended.returncode} while "
                     "starting; stopping the others")  # fmt: skip
            return False
        for name, url in list(pending.items()):
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    del pending[name]
            except httpx.HTTPError:
                pass
        stopping.wait(0.5)
    if pending and not stopping.is_set():
        log.line("up", f"not ready after {timeout:g} s: {', '.join(pending)}")
    for name, url in urls.items():
        if name not in pending and name != "console":
            log.line("up", f"{name} ready: {url}/docs")
    if "console" in urls and "console" not in pending:
        log.line("up", f"staff console: {urls['console']}/  (sign in as {DEMO_USER!r}, "
                 f"password {DEMO_PASSWORD!r}, when the sample data was loaded)")  # fmt: skip
    log.line(
        "up", "mint a token: workplan tokens create --scope planner:read --scope planner:write"
    )
    return True


DEMO_USER, DEMO_PASSWORD = "demo", "workplan-demo"
"""A sign-in for the sample data on a local machine (made by ``workplan up``)."""
DEMO_USER_COMMAND = [
    *WORKPLAN, "users", "add", DEMO_USER,
    "--role", "clerk", "--role", "analyst", "--role", "cleared", "--role", "admin",
    "--name", "Demo clerk", "--email", "demo@workplan.local", "--language", "az",
    "--password", DEMO_PASSWORD,
]  # fmt: skip
"""The demo clerk, with every role (``workplan users add``)."""
