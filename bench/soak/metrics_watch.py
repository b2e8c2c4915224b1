"""Counters read from every service's ``/metrics`` while the soak runs, summed over restarts.

A service's counters start at zero in each process, so the watch keeps the last value seen
of each process (by pid) and adds them up. It reads every second and once more right before
a fault stops a process; what a killed process counted after its last reading is not seen,
so the sums are lower bounds.

- ``workplan_events_duplicate_total``: events a consumer's inbox had recorded already and
  dropped — messages the broker delivered again (after a consumer died or its connection was
  cut before the ack) and events published again (the relay killed between the confirm and
  marking the row sent).
- ``workplan_outbox_publish_failures_total``: publishes of the relay that failed and stayed
  pending (broker down).
- ``workplan_dead_letters_total``: messages sent to a dead-letter queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import re

import httpx

WATCHED = (
    "workplan_events_duplicate_total",
    "workplan_outbox_publish_failures_total",
    "workplan_dead_letters_total",
)
_SAMPLE = re.compile(r"^([a-z_]+)(?:\{[^}]*\})?\s+([0-9.eE+-]+)$")


class MetricsWatch:
    def __init__(self, urls: dict[str, str], pids: dict[str, int]) -> None:
        self._urls = urls
        self._pids = pids
        self._seen: dict[tuple[str, int, str], float] = {}
        self._task: asyncio.Task[None] | None = None

    def restarted(self, service: str, pid: int) -> None:
        self._pids[service] = pid

    def totals(self) -> dict[str, float]:
        """Per metric, the sum over every process of every service."""
        sums = dict.fromkeys(WATCHED, 0.0)
        for (_, _, metric), value in self._seen.items():
            sums[metric] += value
        return sums

    def by_service(self, metric: str) -> dict[str, float]:
        sums: dict[str, float] = {}
        for (service, _, name), value in self._seen.items():
            if name == metric:
                sums[service] = sums.get(service, 0.0) + value
        return sums

    async def read(self, http: httpx.AsyncClient, service: str) -> None:
        pid = self._pids.get(service)
        if pid is None:
            return
        with contextlib.suppress(httpx.HTTPError):
            answer = await http.get(f"{self._urls[service]}/metrics", timeout=2)
            values = dict.fromkeys(WATCHED, 0.0)
            for line in answer.text.splitlines():
                found = _SAMPLE.match(line)
                if found and found.group(1) in values:
                    values[found.group(1)] += float(found.group(2))
            for metric, value in values.items():
                key = (service, pid, metric)
                self._seen[key] = max(self._seen.get(key, 0.0), value)

    async def read_all(self) -> None:
        async with httpx.AsyncClient() as http:
            await asyncio.gather(*(self.read(http, service) for service in self._urls))

    def start(self) -> None:
        self._task = asyncio.create_task(self._every_second())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.read_all()

    async def _every_second(self) -> None:
        while True:
            await self.read_all()
            await asyncio.sleep(1)
