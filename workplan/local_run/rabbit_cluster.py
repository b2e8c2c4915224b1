"""A RabbitMQ cluster of its own on this machine: N nodes, each with its own node name,
ports and folders, joined with ``rabbitmqctl join_cluster``.

For tests (the fault suite stops and kills its nodes) and demos (``workplan cluster up``).
It never touches the machine's own broker: node names are ``<name>-<i>@localhost`` with a
name that is never ``rabbit``, ports are free ones chosen at start (never 5672 or 25672),
and every node reads only its own files (configuration, enabled plugins, data, logs)
under ``base_dir``, with an Erlang cookie of the cluster's own (``base_dir/.erlang.cookie``,
used by the nodes and by the ``rabbitmqctl`` calls made here through ``HOME``)::

    cluster = LocalRabbitCluster(nodes=3, base_dir=Path("/tmp/wp-cluster"), name="wp-xyz")
    cluster.start()        # every node started, joined to the first, all running
    cluster.amqp_urls      # one ``amqp://guest:guest@127.0.0.1:<port>/`` per node
    cluster.stop_node(1)   # graceful (``rabbitmqctl stop``); kill_node(1) is SIGKILL
    cluster.start_node(1)  # back, and back in the cluster
    cluster.stop()         # every node stopped, ``base_dir`` removed

Node indexes start at 0. Needs RabbitMQ's scripts (``rabbitmq-server``, ``rabbitmqctl``):
Debian's are in ``/usr/lib/rabbitmq/bin`` (the ``/usr/sbin`` wrappers switch to the
``rabbitmq`` user, which would not read our cookie), others are taken from ``PATH``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from workplan.local_run.front_door import FrontDoor

DEBIAN_SCRIPTS = Path("/usr/lib/rabbitmq/bin")
DEFAULT_PLUGINS = ("rabbitmq_consistent_hash_exchange",)
NAME = re.compile(r"^[a-z][a-z0-9-]{0,40}$")
RESERVED_PORTS = frozenset({5672, 25672, 4369, 15672})
STATE_FILE = "cluster.json"
CLI_DIST_PORTS = range(35672, 35683)
"""Where ``rabbitmqctl`` itself listens by default (25672 + 10000 …): never a node's port."""


class ClusterError(RuntimeError):
    """A node did not start, stop or join as asked; the message says which and why."""


@dataclass
class ClusterNode:
    index: int
    name: str
    """Erlang node name, e.g. ``wp-3f9a2c-1@localhost``."""
    amqp_port: int
    dist_port: int
    folder: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def amqp_url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.amqp_port}/"

    @property
    def pid_file(self) -> Path:
        return self.folder / "rabbitmq.pid"

    @property
    def log_file(self) -> Path:
        return self.folder / "server.out"

    @property
    def beam_pid(self) -> int | None:
        """The Erlang VM's process id, from the pid file RabbitMQ writes."""
        with contextlib.suppress(OSError, ValueError):
            return int(self.pid_file.read_text().strip())
        return None

    @property
    def running(self) -> bool:
        """Whether its Erlang VM runs (started here, or by another process: ``workplan
        cluster up`` and ``down`` are two commands)."""
        if self.process is not None and self.process.poll() is not None:
            return False
        pid = self.beam_pid
        if pid is None:
            return self.process is not None
        try:  # the pid is this node's VM, not a process that got the number since
            environment = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            return False
        return f"RABBITMQ_NODENAME={self.name}\0".encode() in environment


def rabbitmq_scripts() -> Path:
    """The folder holding ``rabbitmq-server`` and ``rabbitmqctl`` as they can run as the
    current user."""
    if (DEBIAN_SCRIPTS / "rabbitmq-server").exists():
        return DEBIAN_SCRIPTS
    found = shutil.which("rabbitmq-server")
    if found is None:
        raise ClusterError("RabbitMQ is not installed: no rabbitmq-server on PATH")
    return Path(found).parent


def free_ports(count: int, taken: Iterable[int] = ()) -> list[int]:
    """``count`` distinct ports free now on 127.0.0.1, none of the machine's broker's."""
    avoided = set(RESERVED_PORTS) | set(CLI_DIST_PORTS) | set(taken)
    ports: list[int] = []
    while len(ports) < count:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port not in avoided and port + 1 <= 65535:
            avoided.add(port)
            ports.append(port)
    return ports


class LocalRabbitCluster:
    """N RabbitMQ nodes on this machine, clustered. Usable as a context manager
    (``with LocalRabbitCluster(...) as cluster:`` starts it and stops it after)."""

    def __init__(
        self,
        nodes: int = 3,
        base_dir: Path | None = None,
        name: str | None = None,
        *,
        plugins: Iterable[str] = DEFAULT_PLUGINS,
        boot_timeout: float = 180.0,
        keep_data: bool = False,
    ) -> None:
        if not 1 <= nodes <= 9:
            raise ValueError(f"nodes must be between 1 and 9, not {nodes}")
        name = name or f"wp-{secrets.token_hex(3)}"
        if not NAME.match(name) or name == "rabbit":
            raise ValueError(
                f"cluster name {name!r}: lower-case letters, digits and '-', starting with "
                "a letter, at most 41 characters, and never 'rabbit' (the machine's broker)"
            )
        self.name = name
        self.base_dir = Path(base_dir) if base_dir else Path(tempfile.mkdtemp(prefix=f"{name}-"))
        self.plugins = tuple(plugins)
        self.boot_timeout = boot_timeout
        self.keep_data = keep_data
        self._scripts = rabbitmq_scripts()
        self._size = nodes
        self.nodes: list[ClusterNode] = []

    # -- what callers read -------------------------------------------------------------

    @property
    def amqp_urls(self) -> list[str]:
        return [node.amqp_url for node in self.nodes]

    @property
    def node_names(self) -> list[str]:
        return [node.name for node in self.nodes]

    def running_nodes(self, via: int | None = None) -> list[str]:
        """The nodes the cluster reports running, asked of node ``via`` (default: the
        first node that answers)."""
        candidates = [via] if via is not None else [n.index for n in self.nodes if n.running]
        for index in candidates:
            try:
                status = json.loads(
                    self.rabbitmqctl(index, "cluster_status", "--formatter", "json")
                )
            except (ClusterError, json.JSONDecodeError):
                continue
            return sorted(status.get("running_nodes", []))
        return []

    def rabbitmqctl(self, index: int, *args: str, timeout: float = 60.0) -> str:
        """Run ``rabbitmqctl -n <node i> args…``; its standard output, or ClusterError."""
        return self._cli("rabbitmqctl", self.nodes[index], *args, timeout=timeout)

    def quorum_members(self, queue: str, vhost: str = "/") -> list[str]:
        """The nodes a quorum queue is replicated on (``list_queues name members``)."""
        listed = json.loads(
            self.rabbitmqctl(
                self._any_running(), "list_queues", "-p", vhost, "name", "members",
                "--formatter", "json",
            )
        )  # fmt: skip
        for row in listed:
            if row.get("name") == queue:
                return sorted(row.get("members") or [])
        raise ClusterError(f"no queue {queue!r} in vhost {vhost!r}")

    def front_door(self) -> FrontDoor:
        """One address for every node (not started): each connection goes to the next
        node that accepts it, as a TCP load balancer in front of a cluster does."""
        return FrontDoor([node.amqp_port for node in self.nodes])

    def queue_leaders(self, vhost: str = "/") -> dict[str, str]:
        """Each quorum queue's leader node (``list_queues name leader``)."""
        listed = json.loads(
            self.rabbitmqctl(
                self._any_running(), "list_queues", "-p", vhost, "name", "leader",
                "--formatter", "json",
            )
        )  # fmt: skip
        return {row["name"]: row["leader"] for row in listed if row.get("leader")}

    # -- life cycle --------------------------------------------------------------------

    def start(self) -> None:
        """Start every node, join the others to the first, wait until all run together."""
        if self.nodes:
            raise ClusterError(f"cluster {self.name} was already started")
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self._write_cookie()
        ports = free_ports(2 * self._size)
        for index in range(self._size):
            folder = self.base_dir / f"node-{index + 1}"
            node = ClusterNode(
                index=index,
                name=f"{self.name}-{index + 1}@localhost",
                amqp_port=ports[2 * index],
                dist_port=ports[2 * index + 1],
                folder=folder,
            )
            self._prepare(node)
            self.nodes.append(node)
        self._save_state()
        try:
            for node in self.nodes:
                self._spawn(node)
            for node in self.nodes:
                self._await_startup(node)
            first = self.nodes[0]
            for node in self.nodes[1:]:
                self.rabbitmqctl(node.index, "stop_app")
                self.rabbitmqctl(node.index, "join_cluster", first.name)
                self.rabbitmqctl(node.index, "start_app")
            self.wait_until_clustered()
        except BaseException:
            self.stop()
            raise

    def stop_node(self, index: int) -> None:
        """Stop one node gracefully (``rabbitmqctl stop``) and wait until its process ended.
        Its data stay; :meth:`start_node` brings it back."""
        node = self.nodes[index]
        if not node.running:
            return
        self._cli("rabbitmqctl", node, "stop", str(node.pid_file), timeout=120)
        self._reap(node, timeout=60)

    def kill_node(self, index: int) -> None:
        """SIGKILL one node's Erlang VM (no goodbye to its peers or clients)."""
        node = self.nodes[index]
        if not node.running:
            return
        pid = node.beam_pid
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self._reap(node, timeout=30)

    def start_node(self, index: int) -> None:
        """Start a stopped or killed node and wait until it runs in the cluster again."""
        self.start_nodes([index])

    def start_nodes(self, indexes: Iterable[int]) -> None:
        """Start several stopped nodes at once (all of them, after the whole cluster was
        stopped: a node that was not the last to stop waits for its peers while booting),
        then wait until every node runs in the cluster."""
        chosen = [self.nodes[i] for i in indexes]
        for node in chosen:
            if not node.running:
                self._spawn(node)
        for node in chosen:
            self._await_startup(node)
        self.wait_until_clustered()

    def stop_all_nodes(self) -> None:
        """Stop every node gracefully, the last first, keeping their data (the whole
        cluster down; :meth:`start_nodes` with every index brings it back)."""
        for node in reversed(self.nodes):
            self.stop_node(node.index)

    def wait_until_clustered(self, timeout: float | None = None) -> None:
        """Wait until every running node sees every running node as running."""
        deadline = time.monotonic() + (timeout or self.boot_timeout)
        wanted = sorted(node.name for node in self.nodes if node.running)
        seen: list[str] = []
        while time.monotonic() < deadline:
            seen = self.running_nodes()
            if seen == wanted:
                return
            time.sleep(0.5)
        raise ClusterError(f"cluster {self.name}: running {seen}, expected {wanted}")

    def stop(self) -> None:
        """Stop every node (SIGKILL whichever does not stop) and, unless ``keep_data``,
        remove ``base_dir``."""
        for node in reversed(self.nodes):
            try:
                self.stop_node(node.index)
            except ClusterError:
                self.kill_node(node.index)
        if not self.keep_data:
            shutil.rmtree(self.base_dir, ignore_errors=True)

    cleanup = stop

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @classmethod
    def attach(cls, base_dir: Path) -> LocalRabbitCluster:
        """The cluster started (by another process) in ``base_dir``, from its
        ``cluster.json``: to stop it or ask its state."""
        state_file = Path(base_dir) / STATE_FILE
        try:
            state = json.loads(state_file.read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise ClusterError(f"no cluster started in {base_dir} ({exc})") from exc
        cluster = cls(len(state["nodes"]), base_dir, state["name"], plugins=state["plugins"])
        cluster.nodes = [
            ClusterNode(
                index=row["index"],
                name=row["name"],
                amqp_port=row["amqp_port"],
                dist_port=row["dist_port"],
                folder=Path(row["folder"]),
            )
            for row in state["nodes"]
        ]
        return cluster

    # -- the details -------------------------------------------------------------------

    def _save_state(self) -> None:
        state = {
            "name": self.name,
            "plugins": list(self.plugins),
            "nodes": [
                {
                    "index": node.index,
                    "name": node.name,
                    "amqp_port": node.amqp_port,
                    "dist_port": node.dist_port,
                    "folder": str(node.folder),
                }
                for node in self.nodes
            ],
        }
        (self.base_dir / STATE_FILE).write_text(json.dumps(state, indent=2) + "\n")

    def _write_cookie(self) -> None:
        cookie = self.base_dir / ".erlang.cookie"
        if not cookie.exists():
            cookie.write_text(secrets.token_hex(20).upper())
            cookie.chmod(0o400)

    def _prepare(self, node: ClusterNode) -> None:
        node.folder.mkdir(parents=True, exist_ok=True)
        (node.folder / "enabled_plugins").write_text(f"[{','.join(self.plugins)}].\n")
        (node.folder / "rabbitmq-env.conf").write_text("# this node reads no machine-wide env\n")
        (node.folder / "rabbitmq.conf").write_text(
            f"cluster_name = {self.name}\n"
            "loopback_users = none\n"
            "disk_free_limit.absolute = 50MB\n"
            "log.console = false\n"
            "log.file.level = info\n"
        )

    def _environment(self, node: ClusterNode, *, server: bool) -> dict[str, str]:
        keep = ("PATH", "LANG", "LC_ALL", "TMPDIR")
        env = {key: os.environ[key] for key in keep if key in os.environ}
        env.update(
            HOME=str(self.base_dir),
            RABBITMQ_CONF_ENV_FILE=str(node.folder / "rabbitmq-env.conf"),
        )
        if server:
            env.update(
                RABBITMQ_NODENAME=node.name,
                RABBITMQ_NODE_IP_ADDRESS="127.0.0.1",
                RABBITMQ_NODE_PORT=str(node.amqp_port),
                RABBITMQ_DIST_PORT=str(node.dist_port),
                RABBITMQ_MNESIA_BASE=str(node.folder / "mnesia"),
                RABBITMQ_LOG_BASE=str(node.folder / "log"),
                RABBITMQ_ENABLED_PLUGINS_FILE=str(node.folder / "enabled_plugins"),
                RABBITMQ_CONFIG_FILE=str(node.folder / "rabbitmq.conf"),
                RABBITMQ_PID_FILE=str(node.pid_file),
                ERL_FLAGS="-kernel inet_dist_use_interface {127,0,0,1}",
            )
        return env

    def _spawn(self, node: ClusterNode) -> None:
        node.pid_file.unlink(missing_ok=True)
        with node.log_file.open("ab") as out:
            node.process = subprocess.Popen(  # noqa: S603 - RabbitMQ's own script
                [str(self._scripts / "rabbitmq-server")],
                env=self._environment(node, server=True),
                cwd=node.folder,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C in a terminal reaches us, not the nodes
            )

    def _await_startup(self, node: ClusterNode) -> None:
        deadline = time.monotonic() + self.boot_timeout
        while True:
            if not node.running:
                raise ClusterError(
                    f"node {node.name} ended while starting; see {node.log_file} and "
                    f"{node.folder / 'log'}: {self._tail(node)}"
                )
            left = deadline - time.monotonic()
            if left <= 0:
                raise ClusterError(f"node {node.name} not started in {self.boot_timeout:.0f}s")
            try:
                self._cli(
                    "rabbitmqctl", node, "await_startup", "--timeout",
                    str(max(1, int(min(left, 30)))), timeout=min(left, 30) + 30,
                )  # fmt: skip
            except ClusterError:
                time.sleep(0.5)  # not yet reachable (epmd knows it only once it booted)
            else:
                return

    def _reap(self, node: ClusterNode, *, timeout: float) -> None:
        """Wait until the node's VM (and the script that started it, if ours) ended;
        SIGKILL it after ``timeout``."""
        deadline = time.monotonic() + timeout
        while node.running and time.monotonic() < deadline:
            time.sleep(0.1)
        if node.running:
            pid = node.beam_pid
            if pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        if node.process is not None:
            try:
                node.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                node.process.kill()
                node.process.wait(timeout=10)
        else:
            while node.running:
                time.sleep(0.1)

    def _any_running(self) -> int:
        for node in self.nodes:
            if node.running:
                return node.index
        raise ClusterError(f"cluster {self.name}: no node is running")

    def _cli(self, program: str, node: ClusterNode, *args: str, timeout: float) -> str:
        command = [str(self._scripts / program), "-n", node.name, *args]
        try:
            done = subprocess.run(  # noqa: S603 - RabbitMQ's own script
                command,
                env=self._environment(node, server=False),
                cwd=node.folder,  # where an erl_crash.dump of the CLI tool would land
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ClusterError(f"{program} {' '.join(args)} on {node.name}: timed out") from exc
        if done.returncode != 0:
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
            raise ClusterError(f"{program} {' '.join(args)} on {node.name}: {said[-600:]}")
        return done.stdout.decode("utf-8", "replace")

    def _tail(self, node: ClusterNode) -> str:
        with contextlib.suppress(OSError):
            lines = node.log_file.read_text("utf-8", "replace").strip().splitlines()
            return " | ".join(line.strip() for line in lines[-3:])
        return ""

    def describe(self) -> dict[str, Any]:
        """What ``workplan cluster status`` prints: each node, its ports and state."""
        return {
            "name": self.name,
            "base_dir": str(self.base_dir),
            "nodes": [
                {
                    "name": node.name,
                    "amqp_url": node.amqp_url,
                    "dist_port": node.dist_port,
                    "folder": str(node.folder),
                    "running": node.running,
                    "pid": node.beam_pid,
                }
                for node in self.nodes
            ],
        }
