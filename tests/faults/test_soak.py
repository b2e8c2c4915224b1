"""The fault suite, short form: ``workplan soak`` in a small configuration, every fault kind once.

It starts its own PostgreSQL and three-node RabbitMQ cluster (never the machine's shared
servers), the three services, an SMTP sink and a webhook receiver; drives staff actions and
external events while each service is SIGKILLed and SIGTERMed, a broker node and then the
whole cluster are stopped and started, PostgreSQL is restarted fast and immediate, and the
mail server and the webhook receiver go down and come back; then checks every store and
every delivery against what was committed. The long form is ``workplan soak --events 5000``
(docs/faults.md).
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bench.soak import checker
from bench.soak.faults import KINDS, Fault
from bench.soak.report import report
from bench.soak.run import SoakPlan, run_soak
from workplan.cli import app

pytestmark = pytest.mark.faults

NOTICES = "inbox notices (hearings)"
"""The store of in-app notices, one per hearing event the load caused."""

SHORT = SoakPlan(events=300, down_for=1.5, gap=0.5, warm_up=2.0, quiet_within=120.0)


def _processes_mentioning(*folders: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command_line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if any(folder in command_line for folder in folders):
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(
    shutil.which("rabbitmq-server") is None and not Path("/usr/lib/rabbitmq/bin").exists(),
    reason="RabbitMQ's server is not installed",
)
def test_every_fault_once_loses_nothing_and_applies_nothing_twice() -> None:
    figures = asyncio.run(run_soak(SHORT))
    report(figures)  # the table, in the test's output

    assert figures.get("error") is None, figures.get("error")
    effects_lost = (
        figures["stores"][NOTICES]["lost"] + figures["email"]["lost"] + figures["webhook"]["lost"]
    )
    expected_failures = [f"{effects_lost} lost"] if effects_lost else []
    assert figures["failures"] == expected_failures
    driven = figures["events_driven"]
    # every action answered (or, sent again after a lost answer, refused as done already)
    # and every external event confirmed
    assert driven["total"] + driven["repeated_reschedules_refused"] == SHORT.events
    assert driven["events_checked"] >= SHORT.events
    injected = figures["faults"]["injected_by_kind"]
    assert injected == dict.fromkeys(KINDS, 1)
    assert figures["faults"]["failed"] == []
    # nothing lost, nothing applied twice, in any store
    assert figures["lost"] == effects_lost
    assert figures["applied_twice"] == 0
    for name, store in figures["stores"].items():
        assert store["lost"] == 0 or name == NOTICES, name
        assert store["applied_twice"] == 0, name
    # a repeat e-mail or webhook only next to a SIGKILL (counted and reported there)
    for channel in ("email", "webhook"):
        for kind in figures[channel]["sent_twice_by_fault"]:
            assert kind.startswith("kill-"), (channel, kind)
    # every restarted service, broker and database came back ready
    ready = figures["faults"]["ready_seconds_by_kind"]
    for kind in KINDS:
        if kind not in ("mail-down", "webhook-down"):
            assert kind in ready, kind
    assert figures["redeliveries"]["dead_lettered"] == 0
    # everything the soak started is gone
    folders = figures["folders"]
    assert not Path(folders["workdir"]).exists()
    assert not Path(folders["postgres"]).exists()
    assert _processes_mentioning(folders["workdir"], folders["postgres"]) == []
    if effects_lost:
        # Open defect (docs/faults.md, "Open: an event the notifier took as stale"): every
        # event reached the notifier's inbox once, but for one of a subject's events it
        # made no notice, e-mail or webhook. Seen once in several runs of this short form.
        pytest.xfail(f"open defect: {effects_lost} notifier effects of one event not made")


def test_an_unknown_fault_kind_is_refused_with_the_known_ones() -> None:
    result = CliRunner().invoke(app, ["soak", "--faults", "kill-planner,unplug-the-rack"])

    assert result.exit_code == 2
    assert "unplug-the-rack" in result.output
    assert "postgres-immediate" in result.output  # the known kinds are named


def test_the_checker_counts_a_missing_and_a_doubled_event() -> None:
    store = checker._compare("archive log", {"a", "b", "c"}, [("a", 1), ("b", 2), ("x", 1)])

    assert store.lost == ["c"]
    assert store.figures()["applied_twice"] == 1


def test_a_repeat_is_attributed_to_the_fault_nearest_in_time() -> None:
    faults = [
        Fault("postgres-fast", "pg", started=1000.0),
        Fault("kill-notifier", "notifier", started=1100.0),
    ]
    twice = {"m1": (2, 1099.5), "m2": (3, 1001.0), "m3": (2, 5000.0)}

    assert checker.attribute(twice, faults) == {
        "kill-notifier": 1,
        "postgres-fast": 2,
        "no fault near": 1,
    }
