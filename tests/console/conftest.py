"""Fixtures of the console tests: the planner, archive and notifier on real ports with the
sample plan, the console on a real port in front of them, and accounts of each kind."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import text

from services.archive.main import create_app as create_archive
from services.archive.settings import ArchiveSettings
from services.console.bootstrap import bootstrap as bootstrap_console
from services.console.handlers import accounts
from services.console.main import create_app as create_console
from services.console.settings import ConsoleSettings
from services.notifier.main import create_app as create_notifier
from services.notifier.settings import NotifierSettings
from services.planner.main import create_app as create_planner
from services.planner.settings import PlannerSettings
from shared.messaging.topology import Topology
from tests.archive.conftest import archive_db, archive_settings  # noqa: F401 - fixtures
from tests.console.servers import serving
from tests.notifier.conftest import (  # noqa: F401 - fixtures
    notifier,
    notifier_settings,
    receiver,
    smtp_server,
)
from tests.notifier.servers import free_port
from tests.planner.conftest import planner, sample_plan  # noqa: F401 - fixtures
from tests.support import delete_service_objects

PASSWORD = "correct horse battery"
ACCOUNTS = {
    "clerk": ["clerk", "analyst"],
    "cleared": ["clerk", "analyst", "cleared"],
    "analyst": ["analyst"],
    "colleague": ["clerk"],
    "admin": ["admin", "clerk"],
}
"""User name → roles; every password is PASSWORD."""
EMAILS = {"colleague": "colleague@example.gov.az", "admin": "admin@example.gov.az"}
"""Accounts with an e-mail address: their notifier recipient is made at first sign-in."""


@dataclass
class Stack:
    """Where everything listens, and the console's settings."""

    console_url: str
    planner_url: str
    archive_url: str
    notifier_url: str
    settings: ConsoleSettings
    items: dict[str, str] = field(default_factory=dict)


def console_settings_for(
    database_url: str, run_id: str, planner_url: str, archive_url: str, notifier_url: str
) -> ConsoleSettings:
    return ConsoleSettings(
        database_url=SecretStr(database_url),
        broker_prefix=f"test-{run_id}",
        planner_url=planner_url,
        archive_url=archive_url,
        notifier_url=notifier_url,
        cookie_secure=False,  # plain http on 127.0.0.1
        log_json=False,
        _env_file=None,
    )


async def clean_console(settings: ConsoleSettings) -> None:
    console = bootstrap_console(settings)
    try:
        async with console.engine.begin() as connection:
            await connection.execute(text("TRUNCATE console.sessions, console.accounts CASCADE"))
        for username, roles in ACCOUNTS.items():
            await accounts.add_account(
                console.accounts, console.passwords, username, roles=roles, password=PASSWORD,
                display_name=username.title(), language="en", email=EMAILS.get(username),
            )  # fmt: skip
    finally:
        await console.close()


@pytest.fixture
async def stack(
    settings: PlannerSettings,
    archive_settings: ArchiveSettings,  # noqa: F811
    notifier_settings: NotifierSettings,  # noqa: F811
    planner,  # noqa: F811
    sample_plan,  # noqa: F811
    archive_db,  # noqa: F811
    notifier,  # noqa: F811
    database_url: str,
    run_id: str,
) -> AsyncIterator[Stack]:
    console_port = free_port()
    # notices link to this console (its pages open after sign-in), as they do by default
    linking = notifier_settings.model_copy(
        update={"links_base_url": None, "console_base_url": f"http://127.0.0.1:{console_port}"}
    )
    async with contextlib.AsyncExitStack() as running:
        archive_url = await running.enter_async_context(serving(create_archive(archive_settings)))
        notifier_url = await running.enter_async_context(serving(create_notifier(linking)))
        planner_url = await running.enter_async_context(serving(create_planner(settings)))
        console = console_settings_for(
            database_url, run_id, planner_url=planner_url, archive_url=archive_url,
            notifier_url=notifier_url,
        )  # fmt: skip
        await clean_console(console)
        console_url = await running.enter_async_context(
            serving(create_console(console), console_port)
        )
        yield Stack(console_url, planner_url, archive_url, notifier_url, console, sample_plan)
    await delete_consumer_queues(notifier_settings.amqp_url.get_secret_value(), run_id)


async def delete_consumer_queues(amqp_url: str, run_id: str) -> None:
    """The archive's and notifier's queues bind every event: other tests of the run expect
    events to be unroutable while nothing of theirs is bound."""
    topology = Topology(f"test-{run_id}")
    await delete_service_objects(amqp_url, topology, "archive", "notifier")


@pytest.fixture
async def browser_client(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    """A cookie-keeping HTTP client: the console as a browser without JavaScript sees it."""
    async with httpx.AsyncClient(
        base_url=stack.console_url, headers={"Accept-Language": "en-GB,en;q=0.8"}
    ) as client:
        yield client


async def sign_in(client: httpx.AsyncClient, username: str, next_path: str = "/") -> httpx.Response:
    form = await client.get("/sign-in", params={"next": next_path})
    csrf = form.cookies.get("workplan_sign_in") or client.cookies.get("workplan_sign_in")
    return await client.post(
        "/sign-in",
        data={"username": username, "password": PASSWORD, "csrf_token": csrf, "next": next_path},
    )
