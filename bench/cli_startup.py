"""How long the ``workplan`` command takes to answer, verb by verb (wall time, a fresh process
each run, as a user types it).

Usage: ``python -m bench.cli_startup [--runs 5]``. Prints the median and the slowest run of
each light verb (those that run no service), and of one verb that loads a service for
comparison. Nothing is timed inside the test suite: ``tests/cli`` checks only that the light
verbs import no service module.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VERBS = [
    ["--help"],
    ["tokens", "create", "--scope", "planner:read"],
    ["tokens", "scopes"],
    ["publish", "--help"],
    ["deadletters", "--help"],
    ["contract", "--help"],
    ["notifier-admin", "--help"],  # loads the notifier: the cost a light verb avoids
]


def wall_times(verb: list[str], runs: int, workplan: str, cwd: str) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([workplan, *verb], cwd=cwd, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    workplan = str(Path(sys.executable).with_name("workplan"))
    print(f"{'verb':44} {'median':>8} {'slowest':>8}   (load {os.getloadavg()[0]:.1f})")
    with tempfile.TemporaryDirectory() as cwd:  # no .env of the working tree
        for verb in VERBS:
            times = wall_times(verb, args.runs, workplan, cwd)
            label = "workplan " + " ".join(verb)
            print(f"{label:44} {statistics.median(times):7.3f}s {max(times):7.3f}s")


if __name__ == "__main__":
    main()
