"""``workplan publishers add|list|remove`` against the real broker's management API: what it
creates (user, exchange, bindings, permission) and prints, and clear errors that leave the
broker as it was."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator

import pytest
from typer.testing import CliRunner, Result

from shared.messaging.broker_api import BrokerApi, BrokerApiError
from workplan.cli import app

runner = CliRunner()


@pytest.fixture
def cli(amqp_url, run_id) -> Iterator[Callable[..., Result]]:
    prefix = f"test-{run_id}"
    env = {
        "WORKPLAN_AMQP_URL": amqp_url,
        "WORKPLAN_BROKER_PREFIX": prefix,
        "WORKPLAN_PUBLISHERS": json.dumps({"urn:test:gov:bridge": ["workplan.meeting.*"]}),
    }
    if not asyncio.run(_api_answers(amqp_url)):
        pytest.skip("the broker's management API is not there")

    def invoke(*args: str) -> Result:
        return runner.invoke(app, ["publishers", *args], env=env)

    yield invoke
    for name in json.loads(invoke("list", "--json").stdout or "[]"):
        invoke("remove", name["name"])


async def _api_answers(amqp_url: str) -> bool:
    async with BrokerApi.for_amqp(None, amqp_url) as api:
        try:
            await api.exchanges()
        except BrokerApiError:
            return False
    return True


async def _broker_state(amqp_url: str, user: str, exchange: str) -> dict:
    async with BrokerApi.for_amqp(None, amqp_url) as api:
        found = await api.exchange(exchange)
        return {
            "user": await api.user_exists(user),
            "arguments": found["arguments"] if found else None,
            "bindings": sorted(
                (b["destination"], b["routing_key"]) for b in await api.exchange_bindings(exchange)
            )
            if found
            else [],
            "permissions": await api._get(f"permissions/%2F/{user}"),
        }


def test_add_creates_the_user_exchange_bindings_and_permission_and_prints_the_details(
    cli, amqp_url, run_id
):
    name = f"t{run_id}-mfa"
    exchange = f"test-{run_id}.publishers.{name}"
    added = cli(
        "add", name, "--source", "urn:gov:az:mfa:meetings",
        "--types", "workplan.meeting.held.v1", "--type", "workplan.meeting.reclassified.v1,",
        "--password", "a-long-enough-secret", "--json",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    details = json.loads(added.stdout)
    host = amqp_url.split("@", 1)[1]
    assert details == {
        "name": name,
        "amqp_url": f"amqp://{name}:a-long-enough-secret@{host}",
        "user": name,
        "exchange": exchange,
        "source": "urn:gov:az:mfa:meetings",
        "type_patterns": ["workplan.meeting.held.v1", "workplan.meeting.reclassified.v1"],
        "types": ["workplan.meeting.held.v1", "workplan.meeting.reclassified.v1"],
    }
    state = asyncio.run(_broker_state(amqp_url, name, exchange))
    assert state["user"]
    assert state["arguments"] == {
        "x-workplan-source": "urn:gov:az:mfa:meetings",
        "x-workplan-user": name,
        "x-workplan-types": ["workplan.meeting.held.v1", "workplan.meeting.reclassified.v1"],
    }
    assert state["bindings"] == [
        (f"test-{run_id}.events", "workplan.meeting.held.v1"),
        (f"test-{run_id}.events", "workplan.meeting.reclassified.v1"),
    ]
    permissions = state["permissions"]
    assert (permissions["configure"], permissions["read"]) == ("^$", "^$")
    assert permissions["write"] == "^" + exchange.replace(".", r"\.").replace("-", r"\-") + "$"

    listed = cli("list")
    assert listed.exit_code == 0
    assert name in listed.stdout
    assert "urn:gov:az:mfa:meetings" in listed.stdout

    removed = cli("remove", name)
    assert removed.exit_code == 0, removed.output
    assert asyncio.run(_broker_state(amqp_url, name, exchange)) == {
        "user": False,
        "arguments": None,
        "bindings": [],
        "permissions": None,
    }
    assert "no external publishers" in cli("list").stdout


def test_a_generated_password_is_printed_once(cli, run_id):
    added = cli(
        "add", f"t{run_id}-gen", "--source", "urn:gov:az:gen", "--types", "workplan.meeting.#"
    )
    assert added.exit_code == 0, added.output
    assert f"amqp://t{run_id}-gen:" in added.stdout
    assert "workplan.meeting.held.v1, workplan.meeting.reclassified.v1" in added.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["Bad Name", "--source", "urn:gov:az:x", "--types", "workplan.meeting.held.v1"],
         "is not a publisher name"),
        (["{name}", "--source", "mfa-meetings", "--types", "workplan.meeting.held.v1"],
         "is not a URN"),
        (["{name}", "--source", "urn:workplan:planner", "--types", "workplan.meeting.held.v1"],
         "the system's own source"),
        (["{name}", "--source", "urn:test:gov:bridge", "--types", "workplan.meeting.held.v1"],
         "the system's own source"),
        (["{name}", "--source", "urn:gov:az:x", "--types", "workplan.meeting.*"],
         "did you mean 'workplan.meeting.#'"),
        (["{name}", "--source", "urn:gov:az:x", "--types", "gov.registry.updated"],
         "matches no event type of the contract"),
        (["{name}", "--source", "urn:gov:az:x", "--types", "workplan..held"],
         "is not a type pattern"),
        (["{name}", "--source", "urn:gov:az:x", "--types", "workplan.meeting.held.v1",
          "--password", "short"], "at least 12 characters"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_clear_error_and_creates_nothing(
    cli, amqp_url, run_id, args, words
):
    name = f"t{run_id}-bad"
    result = cli("add", *[arg.replace("{name}", name) for arg in args])
    assert result.exit_code == 2
    assert words in _flat(result.output)
    state = asyncio.run(_broker_state(amqp_url, name, f"test-{run_id}.publishers.{name}"))
    assert (state["user"], state["arguments"]) == (False, None)


def test_a_name_or_source_taken_is_refused_and_the_first_registration_stays(cli, amqp_url, run_id):
    name = f"t{run_id}-first"
    assert (
        cli("add", name, "--source", "urn:gov:az:first", "--types", "workplan.meeting.#").exit_code
        == 0
    )

    again = cli("add", name, "--source", "urn:gov:az:other", "--types", "workplan.meeting.held.v1")
    assert again.exit_code == 2
    assert f"the name {name!r} is taken" in _flat(again.output)
    same_source = cli(
        "add",
        f"t{run_id}-second",
        "--source",
        "urn:gov:az:first",
        "--types",
        "workplan.meeting.held.v1",
    )
    assert same_source.exit_code == 2
    assert f"is registered already, to {name!r}" in _flat(same_source.output)
    guest = cli(
        "add", "guest", "--source", "urn:gov:az:guest", "--types", "workplan.meeting.held.v1"
    )
    assert guest.exit_code == 2
    assert "the broker has a user of that name" in _flat(guest.output)

    listed = json.loads(cli("list", "--json").stdout)
    assert [(r["name"], r["source"], r["types"]) for r in listed] == [
        (name, "urn:gov:az:first", ["workplan.meeting.#"])
    ]


def test_removing_an_unknown_publisher_is_a_clear_error(cli, run_id):
    result = cli("remove", f"t{run_id}-nobody")
    assert result.exit_code == 2
    assert f"no publisher is registered as 't{run_id}-nobody'" in _flat(result.output)


def _flat(output: str) -> str:
    """The error box's text as one line (rich wraps it inside a frame)."""
    lines = [line.strip(" │╭╮╰╯─") for line in output.splitlines()]
    return " ".join(line for line in lines if line)


def test_an_unreachable_management_api_is_a_clear_error(amqp_url, run_id):
    env = {
        "WORKPLAN_AMQP_URL": amqp_url,
        "WORKPLAN_BROKER_PREFIX": f"test-{run_id}",
        "WORKPLAN_BROKER_API_URL": "http://127.0.0.1:9/",
    }
    result = runner.invoke(
        app,
        [
            "publishers",
            "add",
            f"t{run_id}-x",
            "--source",
            "urn:gov:az:x",
            "--types",
            "workplan.meeting.#",
        ],
        env=env,
    )
    assert result.exit_code == 1
    assert "management API at http://127.0.0.1:9/api/ is unreachable" in result.output
