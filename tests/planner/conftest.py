"""Fixtures of the planner tests: a clean schema, the sample plan, the running app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from services.planner.bootstrap import Planner, bootstrap
from services.planner.entrypoints.cli import read_plan_file
from services.planner.handlers.plan_import import import_plan
from services.planner.main import create_app
from services.planner.settings import PlannerSettings
from tests.support import bearer, engine_of

SAMPLE = (
    Path(__file__).resolve().parents[2] / "examples" / "2026-spring-international-relations.yaml"
)
TABLES = "hearings, meetings, items, work_plans, sessions, committees, organizations, outbox, inbox"


@pytest.fixture
async def planner(settings: PlannerSettings) -> AsyncIterator[Planner]:
    planner = bootstrap(settings)
    async with engine_of(planner).begin() as connection:
        qualified = ", ".join(f"planner.{table.strip()}" for table in TABLES.split(","))
        await connection.execute(text(f"TRUNCATE {qualified} RESTART IDENTITY CASCADE"))
    yield planner
    await planner.close()


@pytest.fixture
async def sample_plan(planner: Planner) -> dict[str, str]:
    """The sample work plan imported; item ref → item id."""
    await import_plan(read_plan_file(SAMPLE), planner.uow())
    async with engine_of(planner).connect() as connection:
        rows = await connection.execute(text("SELECT ref, id FROM planner.items"))
        return {ref: str(item_id) for ref, item_id in rows}


@pytest.fixture
async def app(settings: PlannerSettings, planner: Planner) -> AsyncIterator[FastAPI]:
    """The planner app with its lifespan running: consumers, relay, publisher."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://planner") as http:
        yield http


@pytest.fixture
def staff(settings: PlannerSettings) -> dict[str, str]:
    return bearer(settings, "planner:read", "planner:write")


@pytest.fixture
def cleared_staff(settings: PlannerSettings) -> dict[str, str]:
    return bearer(settings, "planner:read", "planner:write", "planner:restricted")
