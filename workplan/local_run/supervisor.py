"""Service processes started together, watched together and stopped together.

Every line a process writes (stdout and stderr) is copied to one combined log, prefixed
with the process's name; ANSI codes are kept only when that log is a terminal. When one
process ends, or the supervisor is told to stop, every other process is stopped too:
SIGTERM, a grace period, then SIGKILL. Nothing is left behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, TextIO

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
COLOURS = ("36", "35", "33", "32", "34", "31")
NAME_WIDTH = 9


class CombinedLog:
    """Lines of every process, each prefixed with its name, one writer at a time."""

    def __init__(self, out: TextIO, *, colour: bool) -> None:
        self._out = out
        self._colour = colour
        self._lock = threading.Lock()
        self._colours: dict[str, str] = {}

    def line(self, name: str, text: str) -> None:
        if not self._colour:
            text = ANSI.sub("", text)
        label = f"{name:<{NAME_WIDTH}}|"
        if self._colour:
            code = self._colours.setdefault(name, COLOURS[len(self._colours) % len(COLOURS)])
            label = f"\x1b[{code}m{label}\x1b[0m"
        with self._lock, contextlib.suppress(OSError, ValueError):  # a closed pipe: go on
            self._out.write(f"{label} {text}\n")
            self._out.flush()


@dataclass
class Supervised:
    name: str
    process: subprocess.Popen[bytes]
    pump: threading.Thread = field(repr=False)

    @property
    def returncode(self) -> int | None:
        return self.process.poll()


class Supervisor:
    def __init__(self, log: CombinedLog, *, grace_seconds: float = 30.0) -> None:
        self.log = log
        self.grace_seconds = grace_seconds
        self.processes: dict[str, Supervised] = {}

    def start(self, name: str, argv: list[str], env: Mapping[str, str] | None = None) -> None:
        process = subprocess.Popen(  # noqa: S603 - our own command lines
            argv,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        assert process.stdout is not None
        pump = threading.Thread(
            target=self._pump, args=(name, process.stdout), name=f"log-{name}", daemon=True
        )
        pump.start()
        self.processes[name] = Supervised(name, process, pump)

    def run(self, name: str, argv: list[str], env: Mapping[str, str] | None = None) -> int:
        """Start a process and wait for it to end; its lines go to the combined log."""
        self.start(name, argv, env)
        supervised = self.processes.pop(name)
        code = supervised.process.wait()
        supervised.pump.join(timeout=5)
        return code

    def ended(self) -> list[Supervised]:
        return [p for p in self.processes.values() if p.returncode is not None]

    def stop(self) -> None:
        """SIGTERM to every running process, SIGKILL to any still running after the grace
        period; then wait for all of them and their log lines."""
        running = [p for p in self.processes.values() if p.returncode is None]
        for supervised in running:
            _signal(supervised.process, signal.SIGTERM)
        deadline = time.monotonic() + self.grace_seconds
        for supervised in running:
            try:
                supervised.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.log.line("up", f"{supervised.name} did not stop in time; killing it")
                _signal(supervised.process, signal.SIGKILL)
                supervised.process.wait()
        for supervised in self.processes.values():
            supervised.pump.join(timeout=5)

    def _pump(self, name: str, stream: IO[bytes]) -> None:
        for raw in iter(stream.readline, b""):
            self.log.line(name, raw.decode("utf-8", "replace").rstrip("\r\n"))
        stream.close()


def _signal(process: subprocess.Popen[bytes], number: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, number)
