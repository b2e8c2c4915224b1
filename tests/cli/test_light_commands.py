"""The ``workplan`` command answers at once: verbs that run no service load no service."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from workplan.cli import COMMANDS, app

LIGHT_VERBS = [
    ["--help"],
    [],
    ["tokens", "create", "--scope", "planner:read"],
    ["tokens", "scopes"],
    ["tokens", "scopes", "--json"],
    ["tokens", "--help"],
    ["publish", "--help"],
    ["deadletters", "--help"],
    ["contract", "--help"],
    ["cluster", "--help"],
]
HEAVY = (
    "services", "migrations", "sqlalchemy", "fastapi", "starlette", "asyncpg", "alembic",
    "faststream", "aio_pika", "aiormq",
)  # fmt: skip
"""What a light verb must not import: any service, the frameworks services use, the broker
client (``publish`` and ``deadletters`` load it only to talk to the broker)."""

PROBE = """
import json, sys
verb, heavy = json.loads(sys.argv[1]), set(json.loads(sys.argv[2]))
from workplan.cli import main
sys.argv = ["workplan", *verb]
try:
    main()
except SystemExit as exit:
    code = exit.code or 0
else:
    code = 0
loaded = sorted({name.split(".")[0] for name in sys.modules} & heavy)
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""


@pytest.mark.parametrize("verb", LIGHT_VERBS, ids=lambda verb: " ".join(verb) or "(none)")
def test_a_light_verb_imports_no_service(verb, tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(verb), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,  # no .env of the working tree
        timeout=120,
    )
    report = json.loads(result.stderr.strip().splitlines()[-1])
    assert report["loaded"] == [], f"workplan {' '.join(verb)} imported {report['loaded']}"
    assert report["code"] in (0, 2), result.stdout  # 2: no arguments shows the help
    assert result.stdout.strip()


def test_the_listing_names_every_command_with_its_help():
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for entry in COMMANDS:
        assert entry.name in result.output
        assert entry.help in result.output


@pytest.mark.parametrize("entry", COMMANDS, ids=lambda entry: entry.name)
def test_every_command_loads_and_shows_its_own_help(entry):
    result = CliRunner().invoke(app, [entry.name, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert f"Usage: workplan {entry.name}" in result.output
    assert "--install-completion" not in result.output


def test_a_mistyped_command_is_named_with_a_suggestion():
    result = CliRunner().invoke(app, ["tokenz"])
    assert result.exit_code == 2
    assert "No such command 'tokenz'" in result.output
    assert "tokens" in result.output


def test_the_scopes_list_as_json():
    result = CliRunner().invoke(app, ["tokens", "scopes", "--json"])
    assert result.exit_code == 0, result.output
    scopes = {entry["scope"]: entry["meaning"] for entry in json.loads(result.output)}
    assert {"planner:read", "planner:write", "archive:read", "notifier:admin"} <= scopes.keys()
