"""``workplan cluster up|status|down`` as an operator runs them: three commands, one node
here (the three-node shape is tested in test_local_cluster)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _workplan(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workplan.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        timeout=300,
    )


def test_up_status_and_down_find_the_same_nodes(tmp_path: Path, rabbit_scripts: None) -> None:
    folder = tmp_path / "cluster"
    started = _workplan("cluster", "up", "--dir", str(folder), "--nodes", "1", cwd=tmp_path)
    try:
        assert started.returncode == 0, started.stderr
        assert "running" in started.stdout
        again = _workplan("cluster", "up", "--dir", str(folder), cwd=tmp_path)
        assert again.returncode == 1
        assert "already started" in again.stdout

        status = _workplan("cluster", "status", "--dir", str(folder), "--json", cwd=tmp_path)
        described = json.loads(status.stdout)
        [node] = described["nodes"]
        assert node["running"] is True
        assert described["running_nodes"] == [node["name"]]
    finally:
        stopped = _workplan("cluster", "down", "--dir", str(folder), cwd=tmp_path)
    assert stopped.returncode == 0, stopped.stderr
    assert not folder.exists()
    assert not Path(f"/proc/{node['pid']}").exists()  # its Erlang VM ended


def test_status_of_no_cluster_says_so(tmp_path: Path) -> None:
    result = _workplan("cluster", "status", "--dir", str(tmp_path / "none"), cwd=tmp_path)
    assert result.returncode == 1
    assert "no cluster started in" in result.stderr
