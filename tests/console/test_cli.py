"""``workplan users``: staff accounts from the command line, on the real database (the
command runs its own event loop, so these tests are synchronous)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from typer.testing import CliRunner

from services.console.entrypoints.cli import app
from tests.console.test_service_down import closed_port


@pytest.fixture
def environment(database_url, monkeypatch):
    monkeypatch.setenv("WORKPLAN_DATABASE_URL", database_url)
    monkeypatch.setenv("WORKPLAN_NOTIFIER_URL", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.chdir("/")  # no .env of the working tree
    return database_url


async def _clean(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DELETE FROM console.accounts WHERE username LIKE 'cli-%'"))
    await engine.dispose()


def test_users_add_and_list(environment):
    asyncio.run(_clean(environment))
    runner = CliRunner()
    added = runner.invoke(
        app,
        ["add", "cli-leyla", "--role", "clerk", "--role", "cleared", "--email",
         "cli-leyla@example.gov.az", "--password", "a long enough password"],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    shown = " ".join(added.output.split())
    assert (
        "added cli-leyla (cleared, clerk): archive:calendar archive:restricted "
        "notifier:restricted planner:read planner:restricted planner:write" in shown
    ), "the roles and the scopes they give"
    assert "the inbox is linked at the first sign-in" in added.output, "the notifier is down"

    again = runner.invoke(app, ["add", "cli-leyla", "--role", "clerk", "--password", "x" * 12])
    assert again.exit_code == 1
    assert "an account named 'cli-leyla' exists already" in again.output

    listed = runner.invoke(app, ["list"])
    assert listed.exit_code == 0, listed.output
    assert "cli-leyla" in listed.output
    assert "cleared, clerk" in listed.output
    asyncio.run(_clean(environment))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["add", "cli-x", "--role", "boss", "--password", "x" * 12], "unknown role(s): boss"),
        (["add", "cli-x", "--role", "clerk", "--password", "short"], "at least 10 characters"),
        (["add", "Bad Name", "--role", "clerk", "--password", "x" * 12], "user name 'Bad Name'"),
        (["add", "cli-x", "--role", "clerk", "--oidc", "--email", "not-mail"], "is not an e-mail"),
    ],
)
def test_users_add_refuses_bad_input_with_a_clear_message(environment, arguments, message):
    refused = CliRunner().invoke(app, arguments)
    assert refused.exit_code == 1
    assert message in refused.output
