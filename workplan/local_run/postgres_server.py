"""A PostgreSQL server of its own, which a fault test or ``workplan soak`` may restart:
never the machine's shared one.

``initdb`` into a temporary folder, ``pg_ctl`` on a free port (trust authentication,
loopback only, socket in the same folder), stopped and removed afterwards. It stops in
``fast`` mode (sessions cut, a clean shutdown checkpoint) or ``immediate`` mode (no
checkpoint: the next start recovers from the WAL, as after a crash). PostgreSQL refuses to
run as root: as root the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Literal

StopMode = Literal["fast", "immediate"]


def _binaries() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class OwnPostgres:
    def __init__(self) -> None:
        binaries = _binaries()
        if binaries is None:
            raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
        self._bin = binaries
        self.port = _free_port()
        self._folder = Path(tempfile.mkdtemp(prefix="workplan-pg-"))
        self._data = self._folder / "data"
        self._user: str | None = None
        if os.geteuid() == 0:
            self._user = "postgres"
            entry = pwd.getpwnam(self._user)
            os.chown(self._folder, entry.pw_uid, entry.pw_gid)

    @property
    def folder(self) -> Path:
        """Where its data, log and socket are (removed by :meth:`remove`)."""
        return self._folder

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        if not self._data.exists():
            self._run(
                "initdb", "-D", str(self._data), "-U", "postgres", "-A", "trust", "-E", "UTF8"
            )
        self._run(
            "pg_ctl", "-D", str(self._data), "-l", str(self._folder / "log"), "-w", "-t", "60",
            "-o", f"-p {self.port} -k {self._folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c max_connections=100",
            "start",
        )  # fmt: skip

    def url_of(self, database: str) -> str:
        """The SQLAlchemy URL of another database on this server."""
        return self.url.rsplit("/", 1)[0] + f"/{database}"

    def restart(self, down_for: float = 0.0, mode: StopMode = "fast") -> None:
        """Stop (open connections are cut), stay down a while, start again."""
        self.stop(mode)
        time.sleep(down_for)
        self.start()

    def stop(self, mode: StopMode = "fast") -> None:
        if self._data.exists():
            self._run("pg_ctl", "-D", str(self._data), "-m", mode, "-w", "stop", check=False)

    def remove(self) -> None:
        """Stop it at once and delete its folder (data, log, socket)."""
        self.stop("immediate")
        shutil.rmtree(self._folder, ignore_errors=True)

    def _run(self, program: str, *args: str, check: bool = True) -> None:
        command = [str(self._bin / program), *args]
        if self._user is not None:
            command = ["runuser", "-u", self._user, "--", *command]
        subprocess.run(command, check=check, capture_output=True, timeout=120)  # noqa: S603 - PostgreSQL's own programs
