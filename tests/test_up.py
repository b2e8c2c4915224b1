"""``workplan up`` never leaves a mess: a taken port is named in one line before anything
is migrated or started; when a service fails the others are stopped and no process is left
behind; the combined log names the service on every line and has no ANSI codes in a pipe."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import _delete_broker_objects
from tests.notifier.servers import free_port

LINE = re.compile(r"^(up|import|users|planner|archive|notifier|console|mail) +\| ")


def session_processes(session_id: int) -> list[str]:
    """Live processes of a session (``workplan up`` runs in one of its own)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()
        state, session = fields[0], int(fields[3])
        if session == session_id and state != "Z":
            found.append(text.split(")", 1)[0] + ")")
    return found


@pytest.fixture
def up_env(database_url, amqp_url, run_id, tmp_path):
    prefix = f"test-{run_id}-up"
    env = {
        **os.environ,
        "WORKPLAN_DATABASE_URL": database_url,
        "WORKPLAN_AMQP_URL": amqp_url,
        "WORKPLAN_BROKER_PREFIX": prefix,
        "WORKPLAN_PLANNER_PORT": str(free_port()),
        "WORKPLAN_ARCHIVE_PORT": str(free_port()),
        "WORKPLAN_NOTIFIER_PORT": str(free_port()),
        "WORKPLAN_CONSOLE_PORT": str(free_port()),
        "WORKPLAN_MAIL_CATCHER_PORT": str(free_port()),
        "WORKPLAN_MAIL_CATCHER_DIR": str(tmp_path / "mail"),
        "WORKPLAN_GRACEFUL_TIMEOUT": "5",
    }
    env.pop("WORKPLAN_LOG_JSON", None)
    yield env
    asyncio.run(_delete_broker_objects(amqp_url, prefix))


def start_up(env, cwd) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "workplan.cli", "up", "--no-sample", "--ready-timeout", "120"],
        env=env,
        cwd=cwd,  # no .env of the working tree
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its session holds it and every process it starts
    )


def read_until(process, wanted: str, timeout: float) -> list[str]:
    """Lines of the combined log until one contains ``wanted`` (or the output ends)."""
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if wanted in line:
            return lines
    raise AssertionError(f"{wanted!r} not seen:\n" + "\n".join(lines[-40:]))


def finish(process, timeout: float = 60) -> list[str]:
    out, _ = process.communicate(timeout=timeout)
    return out.splitlines()


async def database_exists(database_url: str, name: str) -> bool:
    admin = make_url(database_url).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(admin.render_as_string(False))
    try:
        return bool(await connection.fetchval("SELECT 1 FROM pg_database WHERE datname=$1", name))
    finally:
        await connection.close()


def test_a_taken_port_is_named_in_one_line_before_anything_is_migrated(
    up_env, database_url, run_id, tmp_path
):
    fresh = f"workplan_test_{run_id}_never"
    up_env["WORKPLAN_DATABASE_URL"] = (
        make_url(database_url).set(database=fresh).render_as_string(False)
    )
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        up_env["WORKPLAN_PLANNER_PORT"] = str(port)
        process = start_up(up_env, tmp_path)
        lines = finish(process)

    assert process.returncode == 1
    assert lines == [
        f"up       | cannot start: port already in use: 127.0.0.1:{port} (planner, "
        "WORKPLAN_PLANNER_PORT). Stop what listens there or set the variable to another port."
    ]
    assert session_processes(process.pid) == []
    assert not asyncio.run(database_exists(database_url, fresh))  # nothing was migrated


def test_a_planner_that_cannot_bind_its_port_stops_the_others_and_leaves_no_process(
    up_env, tmp_path
):
    """The port is free when checked and taken a moment later, before the planner binds
    it: the planner fails, and the archive and notifier must not outlive it."""
    port = int(up_env["WORKPLAN_PLANNER_PORT"])
    process = start_up(up_env, tmp_path)
    with socket.socket() as squatter:
        try:
            before = read_until(process, "up       | migrated:", timeout=60)
            squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            squatter.bind(("127.0.0.1", port))
            squatter.listen()
            lines = before + finish(process, timeout=90)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)

    log = "\n".join(lines)
    assert process.returncode == 1, log
    assert re.search(
        r"^up +\| planner ended with exit code \d+ while starting; stopping", log, re.M
    )
    assert "address already in use" in log
    assert session_processes(process.pid) == [], log
    assert "stopped: planner, archive, notifier, console" in log
    assert all(LINE.match(line) for line in lines), log
    assert "\x1b[" not in log


@pytest.mark.parametrize(
    "ctrl_c", [False, True], ids=["SIGTERM to workplan up", "Ctrl-C to the whole group"]
)
def test_a_running_system_stops_cleanly_with_one_readable_log(up_env, tmp_path, ctrl_c):
    process = start_up(up_env, tmp_path)
    try:
        started = read_until(process, "notifier ready:", timeout=120)
        if ctrl_c:  # what a terminal does: SIGINT to every process of the foreground group
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGTERM)
        lines = started + finish(process)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)

    log = "\n".join(lines)
    assert process.returncode == 0, log
    assert session_processes(process.pid) == [], log
    assert all(LINE.match(line) for line in lines), log
    assert "\x1b[" not in log
    catcher = int(up_env["WORKPLAN_MAIL_CATCHER_PORT"])
    assert f"up       | no SMTP server configured: catching mail at 127.0.0.1:{catcher}" in log
    for service in ("planner", "archive", "notifier"):
        assert re.search(
            rf"^{service} +\| .* INFO +shared.runtime.service_app service stopped", log, re.M
        )
