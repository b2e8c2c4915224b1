"""The faults a soak injects, each a real act on a real process or server.

- ``kill-<service>``: SIGKILL mid-work, started again at once.
- ``term-<service>``: SIGTERM with messages in flight (it finishes them and exits), started
  again.
- ``broker-node``: one RabbitMQ node stopped (in turn, so each is the node some service
  uses), down a while, started again.
- ``broker-cluster``: every node stopped, down a while, all started together.
- ``postgres-fast`` / ``postgres-immediate``: ``pg_ctl stop -m fast`` / ``-m immediate`` (no
  checkpoint: the next start recovers from the WAL, as after a crash), down a while, started.
- ``mail-down`` / ``webhook-down``: the SMTP sink / webhook receiver gone (open sessions
  cut), back after a while.

"Ready again" is measured from the moment the process or server is started again: to
``/readyz`` 200 of the restarted service (service faults) or of every service (broker and
database faults); for the mail server and the webhook receiver, to the next e-mail or
webhook that arrives.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bench.soak.metrics_watch import MetricsWatch
from bench.soak.stack import SERVICES, Stack
from workplan.local_run.postgres_server import StopMode

SERVICE_FAULTS = tuple(f"{act}-{name}" for act in ("kill", "term") for name in SERVICES)
SERVER_FAULTS = ("broker-node", "broker-cluster", "postgres-fast", "postgres-immediate")
RECEIVER_FAULTS = ("mail-down", "webhook-down")
KINDS = (*SERVICE_FAULTS, *SERVER_FAULTS, *RECEIVER_FAULTS)
"""Every kind, in the order one round injects them."""
TAKES_SECONDS = {
    **dict.fromkeys(SERVICE_FAULTS, 7.0),
    "broker-node": 14.0,
    "broker-cluster": 30.0,
    "postgres-fast": 5.0,
    "postgres-immediate": 5.0,
}
"""About how long each kind takes here besides its time down (busy two cores): to spread the
load over the faults when no rate is given."""


@dataclass
class Fault:
    kind: str
    target: str
    started: float
    """Wall-clock time the fault began (epoch seconds)."""
    restarted: float = 0.0
    """When the process or server was started again (epoch seconds)."""
    ready_seconds: float | None = None
    """From ``restarted`` to ready again (see above); None if it never was."""
    outage_seconds: float | None = None
    """From the fault's start to ready again."""
    detail: dict[str, object] = field(default_factory=dict)
    error: str | None = None


class FaultInjector:
    def __init__(self, stack: Stack, watch: MetricsWatch, *, down_for: float) -> None:
        self.stack = stack
        self.watch = watch
        self.down_for = down_for
        self.injected: list[Fault] = []
        self._broker_turn = 0

    async def inject(self, kind: str) -> Fault:
        act: Callable[[Fault], Awaitable[None]]
        if kind in SERVICE_FAULTS:
            act = self._service
        else:
            act = {
                "broker-node": self._broker_node,
                "broker-cluster": self._broker_cluster,
                "postgres-fast": self._postgres,
                "postgres-immediate": self._postgres,
                "mail-down": self._mail,
                "webhook-down": self._webhook,
            }[kind]
        await self.watch.read_all()  # what the processes counted, before they go
        fault = Fault(kind, target="", started=time.time())
        self.injected.append(fault)
        try:
            await act(fault)
        except Exception as exc:  # reported in the figures, and fails the soak
            fault.error = f"{type(exc).__name__}: {exc}"
        return fault

    async def _service(self, fault: Fault) -> None:
        act, name = fault.kind.split("-", 1)
        fault.target = name
        number = signal.SIGKILL if act == "kill" else signal.SIGTERM
        code = await asyncio.to_thread(self.stack.signal_service, name, number)
        fault.detail["exit_code"] = code
        fault.restarted = time.time()
        process = self.stack.start_service(name)
        self.watch.restarted(name, process.pid)
        fault.ready_seconds = await self.stack.ready((name,))

    async def _broker_node(self, fault: Fault) -> None:
        nodes = len(self.stack.cluster.nodes)
        index = self._broker_turn % nodes
        self._broker_turn += 1
        fault.target = self.stack.cluster.nodes[index].name
        fault.detail["services_on_it"] = [
            name for name in SERVICES if self.stack.node_of(name) == index
        ]
        await asyncio.to_thread(self.stack.cluster.stop_node, index)
        await asyncio.sleep(self.down_for)
        await asyncio.to_thread(self.stack.cluster.start_node, index)
        fault.restarted = time.time()
        fault.ready_seconds = await self.stack.ready()

    async def _broker_cluster(self, fault: Fault) -> None:
        fault.target = f"{len(self.stack.cluster.nodes)} nodes"
        await asyncio.to_thread(self.stack.cluster.stop_all_nodes)
        await asyncio.sleep(self.down_for)
        indexes = [node.index for node in self.stack.cluster.nodes]
        await asyncio.to_thread(self.stack.cluster.start_nodes, indexes)
        fault.restarted = time.time()
        fault.ready_seconds = await self.stack.ready()

    async def _postgres(self, fault: Fault) -> None:
        mode: StopMode = "immediate" if fault.kind.endswith("immediate") else "fast"
        fault.target = f"postgresql :{self.stack.postgres.port}"
        await asyncio.to_thread(self.stack.postgres.stop, mode)
        await asyncio.sleep(self.down_for)
        await asyncio.to_thread(self.stack.postgres.start)
        fault.restarted = time.time()
        fault.ready_seconds = await self.stack.ready()

    async def _mail(self, fault: Fault) -> None:
        fault.target = f"smtp :{self.stack.sink.port}"
        await self.stack.sink.stop()
        await asyncio.sleep(self.down_for)
        await self.stack.sink.start()
        fault.restarted = time.time()  # ready: the next e-mail accepted (see figures)

    async def _webhook(self, fault: Fault) -> None:
        fault.target = f"webhooks :{self.stack.receiver.port}"
        await self.stack.receiver.stop()
        await asyncio.sleep(self.down_for)
        await self.stack.receiver.start()
        fault.restarted = time.time()


def first_after(moments: list[tuple[float, str]], since: float) -> float | None:
    """Seconds from ``since`` to the first of ``moments`` after it (None if none came)."""
    later = [at for at, _ in moments if at >= since]
    return min(later) - since if later else None
