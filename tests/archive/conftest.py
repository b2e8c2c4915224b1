"""Fixtures of the archive tests: its settings, clean tables, the running app, a publisher."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from services.archive.main import create_app
from services.archive.settings import ArchiveSettings
from shared.contract import CloudEvent
from shared.messaging.publisher import ConfirmingPublisher
from shared.messaging.topology import Topology
from tests.archive.events import (
    hearing_cancelled,
    hearing_rescheduled,
    hearing_scheduled,
    item_created,
    item_status,
    meeting_held,
)
from tests.conftest import EXTERNAL_SOURCE
from tests.support import bearer, delete_service_objects, eventually
from workplan.cli.events import to_message

REGISTRY_SOURCE = "urn:test:gov:registry"
"""An external system allowed to publish any meeting type and its own custom types."""
READ_MODELS = (
    "archive.items, archive.hearings, archive.meetings, archive.organizations, "
    "archive.calendar_feeds"
)


@pytest.fixture(scope="session")
def archive_settings(database_url: str, amqp_url: str, run_id: str) -> ArchiveSettings:
    return ArchiveSettings(
        database_url=SecretStr(database_url),
        amqp_url=SecretStr(amqp_url),
        broker_prefix=f"test-{run_id}",
        publishers={
            EXTERNAL_SOURCE: ["workplan.meeting.held.v1"],
            REGISTRY_SOURCE: ["workplan.meeting.*", "gov.registry.*"],
        },
        log_json=False,
        graceful_timeout=5,
        delivery_limit=3,
        archive_batch_wait=0.002,
        _env_file=None,
    )


@pytest.fixture
async def archive_db(archive_settings: ArchiveSettings) -> AsyncIterator[AsyncEngine]:
    """An engine on the test database, with every archive table emptied first.

    The log refuses TRUNCATE by trigger; as the superuser the tests run as, replica mode
    turns triggers off for this one statement.
    """
    engine = create_async_engine(archive_settings.database_url.get_secret_value())
    async with engine.begin() as connection:
        await connection.execute(text("SET LOCAL session_replication_role = replica"))
        await connection.execute(
            text(f"TRUNCATE archive.events, archive.inbox, archive.access_log, {READ_MODELS}")
        )
    yield engine
    await engine.dispose()


@pytest.fixture
async def archive_app(
    archive_settings: ArchiveSettings, archive_db: AsyncEngine, amqp_url: str
) -> AsyncIterator[FastAPI]:
    """The archive with its lifespan running (consumer included). Its queue is deleted
    afterwards, so no backlog of other tests' events waits for the next test."""
    application = create_app(archive_settings)
    async with application.router.lifespan_context(application):
        yield application
    topology = Topology(archive_settings.broker_prefix)
    await delete_service_objects(amqp_url, topology, "archive")


@pytest.fixture
async def archive_client(archive_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=archive_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://archive") as http:
        yield http


@pytest.fixture
def reader(archive_settings: ArchiveSettings) -> dict[str, str]:
    return bearer(archive_settings, "archive:read")


@pytest.fixture
def cleared(archive_settings: ArchiveSettings) -> dict[str, str]:
    return bearer(archive_settings, "archive:read", "archive:restricted")


@pytest.fixture
def archive_topology(archive_settings: ArchiveSettings) -> Topology:
    return Topology(archive_settings.broker_prefix, delivery_limit=archive_settings.delivery_limit)


@pytest.fixture
async def publisher(amqp_url: str) -> AsyncIterator[ConfirmingPublisher]:
    publisher = ConfirmingPublisher(amqp_url, app_id="test-archive-publisher")
    await publisher.connect()
    yield publisher
    await publisher.close()


async def archived_count(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(text("SELECT count(*) FROM archive.events")) or 0)


async def publish_and_wait(
    publisher: ConfirmingPublisher,
    topology: Topology,
    engine: AsyncEngine,
    events: Sequence[CloudEvent],
    *,
    mode: str = "structured",
    expect: int | None = None,
) -> None:
    """Publish the events and wait until the log holds ``expect`` (default: all) rows."""
    for event in events:
        await publisher.publish(to_message(event, topology, mode=mode))  # type: ignore[arg-type]
    wanted = len(events) if expect is None else expect
    await eventually(lambda: _at_least(engine, wanted), timeout=15)


async def _at_least(engine: AsyncEngine, count: int) -> bool:
    return await archived_count(engine) >= count


# --- one scenario of items, hearings and a meeting, as several test modules read it ----------

T1 = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 2, 5, 9, 0, tzinfo=UTC)
T3 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@dataclass
class Scenario:
    item: uuid.UUID
    other: uuid.UUID
    secret: uuid.UUID
    hearing: uuid.UUID
    cancelled: uuid.UUID
    secret_hearing: uuid.UUID
    meeting_event_id: str


@pytest.fixture
async def scenario(archive_app, archive_db, publisher, archive_topology) -> Scenario:
    s = Scenario(
        item=uuid.uuid4(),
        other=uuid.uuid4(),
        secret=uuid.uuid4(),
        hearing=uuid.uuid4(),
        cancelled=uuid.uuid4(),
        secret_hearing=uuid.uuid4(),
        meeting_event_id="",
    )
    meeting = meeting_held(EXTERNAL_SOURCE, time=T2, item_id=s.item, organizations=["MFA", "PACE"])
    s.meeting_event_id = meeting.id
    events = [
        item_created(s.item, time=T1),
        item_created(
            s.other,
            time=T1,
            title={"ru": "Встреча с делегацией ПАСЕ", "en": "IRAQ delegation visit"},
            description={},
            category="cooperation",
            organizations=["OSCE-PA"],
        ),
        item_created(
            s.secret,
            time=T1,
            title={"en": "Confidential dossier on İstanbul talks"},
            classification="restricted",
            organizations=["PACE"],
        ),
        hearing_scheduled(s.hearing, s.item, time=T2),
        hearing_scheduled(
            s.cancelled,
            s.item,
            time=T2,
            starts_at="2026-04-02T11:00:00+04:00",
            ends_at="2026-04-02T12:00:00+04:00",
        ),
        hearing_scheduled(
            s.secret_hearing,
            s.secret,
            time=T2,
            classification="restricted",
            title={"en": "Closed hearing on the dossier"},
            starts_at="2026-04-09T11:00:00+04:00",
            ends_at="2026-04-09T12:00:00+04:00",
        ),
        meeting,
        hearing_rescheduled(s.hearing, s.item, sequence=2, time=T3),
        hearing_cancelled(s.cancelled, s.item, sequence=2, time=T3),
        item_status(
            s.other,
            "in_progress",
            sequence=2,
            time=T3,
            title={"ru": "Встреча с делегацией ПАСЕ", "en": "IRAQ delegation visit"},
            description={},
            category="cooperation",
            organizations=["OSCE-PA"],
        ),
    ]
    await publish_and_wait(publisher, archive_topology, archive_db, events)
    return s
