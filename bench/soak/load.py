"""The soak's load: staff actions through the planner's HTTP API and external events on the bus,
both paced, both carrying on through every fault.

Staff actions schedule hearings (:class:`bench.pipeline.load.HearingCommands`) and, every
third action, reschedule one scheduled before. A command that gets no answer (the planner
killed, restarting) or a 5xx (the database down) is sent again after a pause; only an answer
counts, and what was committed is read from the planner's outbox afterwards, never assumed
from the answers. A repeated reschedule that the planner refuses (the first one had been
applied before its answer was lost) is counted, not an error; any other 4xx is a bug of the
soak and stops it.

External events are ``workplan.meeting.held.v1`` from a registered external system
(``EXTERNAL_SOURCE``), one distinct meeting each. An event counts once the broker confirmed
it; until then it is published again (the same event id: a repeat the consumers drop),
moving to the next broker node when the one in use does not answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bench.pipeline.http_client import HttpError, KeepAliveClient
from bench.pipeline.load import HearingCommands
from shared.contract import CloudEvent
from shared.messaging.publisher import ConfirmingPublisher, PublishFailed
from shared.messaging.topology import Topology
from workplan.cli.events import to_message

RETRY_PAUSE = 0.5
MEETINGS_FROM = datetime(2026, 2, 9, 6, 0, tzinfo=UTC)


@dataclass
class LoadCounts:
    http_answered: int = 0
    http_retries: int = 0
    repeated_reschedules_refused: int = 0
    bus_confirmed: int = 0
    bus_retries: int = 0
    external: dict[str, str] = field(default_factory=dict)
    """Event id → meeting id of each external event the broker confirmed."""

    @property
    def driven(self) -> int:
        return self.http_answered + self.bus_confirmed


class StaffActions:
    """Paced staff actions from several clients, each over one keep-alive connection."""

    def __init__(self, planner_url: str, token: str, item_ids: list[str], counts: LoadCounts):
        self._url = planner_url
        self._headers = {"Authorization": f"Bearer {token}"}
        self._commands = HearingCommands(item_ids)
        self._counts = counts
        self._hearings: list[str] = []
        self._moves = itertools.count()

    async def run(self, count: int, rate: float, clients: int) -> None:
        began = time.monotonic()
        issued = itertools.count()

        async def client() -> None:
            http = KeepAliveClient(self._url, self._headers)
            try:
                while (index := next(issued)) < count:
                    delay = began + index / rate - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    await self._one(http, index)
            finally:
                await http.__aexit__()

        await asyncio.gather(*(client() for _ in range(clients)))

    async def _one(self, http: KeepAliveClient, index: int) -> None:
        if index % 3 == 2 and self._hearings:
            hearing = self._hearings[index % len(self._hearings)]
            move = next(self._moves)
            starts = MEETINGS_FROM + timedelta(days=30, minutes=13 * move)
            path = f"/api/v1/hearings/{hearing}/reschedule"
            body: dict[str, object] = {
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=1)).isoformat(),
                "reason": f"Moved by the soak ({move})",
                "allow_overlap": True,
            }
        else:
            path, body = self._commands.next()
        status, answer = await self._send(http, path, body)
        if status in (200, 201):
            self._counts.http_answered += 1
            if path.endswith("/hearings"):
                self._hearings.append(_id_of(answer))
        else:
            self._counts.repeated_reschedules_refused += 1

    async def _send(
        self, http: KeepAliveClient, path: str, body: dict[str, object]
    ) -> tuple[int, bytes]:
        attempt = 0
        while True:
            attempt += 1
            try:
                status, answer = await asyncio.wait_for(http.post_json(path, body), 30)
            except (OSError, HttpError, asyncio.IncompleteReadError, TimeoutError):
                status, answer = 0, b""
                await http.__aexit__()
            if status in (200, 201):
                return status, answer
            if 400 <= status < 500 and status not in (408, 429):
                if attempt > 1 and path.endswith("/reschedule"):
                    return status, answer  # the lost first answer had applied it
                raise RuntimeError(
                    f"the planner refused {path}: {status} {answer[:300].decode(errors='replace')}"
                )
            self._counts.http_retries += 1
            await asyncio.sleep(RETRY_PAUSE)


def _id_of(answer: bytes) -> str:
    return str(json.loads(answer)["id"])


def meeting_event(index: int, source: str) -> CloudEvent:
    meeting_id = f"soak-{uuid.uuid4().hex[:12]}"
    held = MEETINGS_FROM + timedelta(minutes=17 * index % (90 * 24 * 60))
    return CloudEvent(
        specversion="1.0",
        id=str(uuid.uuid4()),
        source=source,
        type="workplan.meeting.held.v1",
        subject=f"meeting/{meeting_id}",
        sequence="1",
        time=datetime.now(UTC),
        datacontenttype="application/json",
        data={
            "meeting_id": meeting_id,
            "organizations": ["MFA"],
            "held_at": held.isoformat(),
            "title": {
                "en": f"Consultation {index} with the Ministry of Foreign Affairs",
                "az": f"Xarici İşlər Nazirliyi ilə məsləhətləşmə {index}",
            },
            "participants": [{"name": "Deputy minister", "role": "speaker", "organization": "MFA"}],
            "reported_by": "MFA protocol department",
            "classification": "public",
        },
    )


class ExternalEvents:
    """Paced ``meeting.held`` events, each published until the broker confirms it."""

    def __init__(self, urls: list[str], topology: Topology, source: str, counts: LoadCounts):
        self._urls = urls
        self._topology = topology
        self._source = source
        self._counts = counts
        self._node = 0
        self._publisher: ConfirmingPublisher | None = None
        self._connecting = asyncio.Lock()

    async def run(self, count: int, rate: float, in_flight: int = 64) -> None:
        began = time.monotonic()
        slots = asyncio.Semaphore(in_flight)
        tasks = []
        for index in range(count):
            delay = began + index / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            await slots.acquire()
            task = asyncio.create_task(self._publish(meeting_event(index, self._source)))
            task.add_done_callback(lambda _: slots.release())
            tasks.append(task)
        await asyncio.gather(*tasks)

    async def close(self) -> None:
        if self._publisher is not None:
            with contextlib.suppress(Exception):
                await self._publisher.close()

    async def _publish(self, event: CloudEvent) -> None:
        message = to_message(event, self._topology, mode="structured")
        while True:
            publisher = await self._connected()
            try:
                async with asyncio.timeout(10):
                    await publisher.publish(message)
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    raise  # the soak is stopping
                # aiormq cancels the confirm it waits for when the connection closes
                self._counts.bus_retries += 1
                await self._next_node(publisher)
                await asyncio.sleep(RETRY_PAUSE)
                continue
            except Exception as exc:  # no confirm, whatever the cause: publish it again
                # (aiormq rejects a confirm on a closing channel with a bare ``Exception``)
                self._counts.bus_retries += 1
                if not isinstance(exc, PublishFailed) or not exc.unroutable:
                    await self._next_node(publisher)
                await asyncio.sleep(RETRY_PAUSE)
                continue
            self._counts.bus_confirmed += 1
            self._counts.external[event.id] = str(event.data["meeting_id"])
            return

    async def _connected(self) -> ConfirmingPublisher:
        while True:
            async with self._connecting:
                if self._publisher is not None:
                    return self._publisher
                publisher = ConfirmingPublisher(
                    self._urls[self._node], timeout=5.0, app_id="workplan-soak"
                )
                try:
                    async with asyncio.timeout(10):
                        await publisher.connect()
                except (OSError, TimeoutError, Exception):  # that node is down: the next one
                    with contextlib.suppress(Exception):
                        await publisher.close()
                    self._node = (self._node + 1) % len(self._urls)
                else:
                    self._publisher = publisher
                    return publisher
            await asyncio.sleep(RETRY_PAUSE)

    async def _next_node(self, failed: ConfirmingPublisher) -> None:
        async with self._connecting:
            if self._publisher is failed:
                self._publisher = None
                self._node = (self._node + 1) % len(self._urls)
                with contextlib.suppress(Exception):
                    await failed.close()
