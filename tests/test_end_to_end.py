"""The first cross-service flow: staff change the plan in the planner, the archive records it.

Both apps run with their lifespans (consumers, the planner's outbox relay) against the real
PostgreSQL and RabbitMQ; the events travel planner outbox → broker → archive consumer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import icalendar
import pytest
from fastapi import FastAPI

from services.planner.main import create_app as create_planner
from services.planner.settings import PlannerSettings
from tests.archive.conftest import (  # noqa: F401 - fixtures
    archive_app,
    archive_client,
    archive_db,
    archive_settings,
    reader,
)
from tests.planner.conftest import planner, sample_plan  # noqa: F401 - fixtures
from tests.support import bearer, eventually


@pytest.fixture
async def planner_client(
    settings: PlannerSettings,
    planner,  # noqa: F811 - the fixture of the same name
    archive_app,  # noqa: F811 - the archive's queue is bound before the planner publishes
) -> AsyncIterator[httpx.AsyncClient]:
    application: FastAPI = create_planner(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://planner") as http:
            yield http


async def test_a_hearing_scheduled_moved_and_cancelled_in_the_planner_is_in_the_archive(
    planner_client,
    archive_client,  # noqa: F811
    reader,  # noqa: F811
    settings,
    sample_plan,  # noqa: F811
):
    staff = bearer(settings, "planner:read", "planner:write")
    created = await planner_client.post(
        "/api/v1/items",
        headers=staff,
        json={
            "committee": "MM-IRIPT",
            "session": "2026-spring",
            "title": {"az": "Xocalı soyqırımının ildönümü", "en": "Khojaly remembrance"},
            "category": "advocacy_campaign",
            "organizations": ["PACE"],
        },
    )
    assert created.status_code == 201, created.text
    item_id = created.json()["id"]
    scheduled = await planner_client.post(
        f"/api/v1/items/{item_id}/hearings",
        headers=staff,
        json={
            "starts_at": "2026-03-12T11:00:00+04:00",
            "ends_at": "2026-03-12T13:00:00+04:00",
            "location": "Hall 2",
            "allow_overlap": True,
        },
    )
    assert scheduled.status_code == 201, scheduled.text
    hearing_id = scheduled.json()["id"]
    between = datetime.now(UTC)
    moved = await planner_client.post(
        f"/api/v1/hearings/{hearing_id}/reschedule",
        headers=staff,
        json={
            "starts_at": "2026-03-19T11:00:00+04:00",
            "ends_at": "2026-03-19T13:00:00+04:00",
            "reason": "Rapporteur abroad",
            "allow_overlap": True,
        },
    )
    assert moved.status_code == 200, moved.text
    cancelled = await planner_client.post(
        f"/api/v1/hearings/{hearing_id}/cancel", headers=staff, json={"reason": "No quorum"}
    )
    assert cancelled.status_code == 200, cancelled.text

    async def archived_hearing() -> dict | None:
        response = await archive_client.get(f"/api/v1/hearings/{hearing_id}", headers=reader)
        body = response.json() if response.status_code == 200 else None
        return body if body and body["status"] == "cancelled" else None

    hearing = await eventually(archived_hearing, timeout=20)
    assert (hearing["version"], hearing["reason"]) == (3, "No quorum")

    detail = (await archive_client.get(f"/api/v1/items/{item_id}", headers=reader)).json()
    assert detail["title"]["az"] == "Xocalı soyqırımının ildönümü"
    assert [event["type"] for event in detail["timeline"]] == [
        "workplan.item.created.v1",
        "workplan.hearing.scheduled.v1",
        "workplan.hearing.rescheduled.v1",
        "workplan.hearing.cancelled.v1",
    ]
    assert all(event["source"] == "urn:workplan:planner" for event in detail["timeline"])

    as_of = between.isoformat().replace("+00:00", "Z")
    then = await archive_client.get(
        f"/api/v1/hearings/{hearing_id}", params={"as_of": as_of}, headers=reader
    )
    assert then.status_code == 200, then.text
    assert (then.json()["status"], then.json()["starts_at"]) == (
        "scheduled",
        "2026-03-12T07:00:00Z",
    )

    found = (await archive_client.get("/api/v1/search?q=xocali", headers=reader)).json()
    assert f"item/{item_id}" in {result["subject"] for result in found}

    feed = await archive_client.get("/api/v1/calendar.ics", headers=reader)
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(feed.content).walk("VEVENT")}
    entry = events[f"hearing-{hearing_id}@workplan.archive"]
    assert (str(entry["STATUS"]), entry.decoded("SEQUENCE")) == ("CANCELLED", 3)
