"""Each service's OpenAPI document is exact: schemathesis, with every one of its checks, finds
no answer the document does not declare (status, media type, body, headers), no schema-valid
request refused for a reason the schema could state, no schema-violating request accepted,
no 5xx, no route that ignores its security. Runs the real processes over HTTP.

The number of examples is bounded (``MAX_EXAMPLES`` per operation and phase); each run prints
how many test cases it made.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from shared.auth.tokens import mint_token
from shared.settings import WorkplanSettings
from tests.contract.conftest import JWT_SECRET, ROOT

CONFIG = Path(__file__).with_name("schemathesis.toml")
MAX_EXAMPLES = 4
SCOPES = {
    "planner": ("planner:read", "planner:write", "planner:restricted"),
    "archive": ("archive:read", "archive:restricted"),
    "notifier": ("notifier:read", "notifier:admin"),
}


def token(*scopes: str) -> str:
    settings = WorkplanSettings(jwt_secret=SecretStr(JWT_SECRET), _env_file=None)
    return mint_token(settings, subject="schemathesis", scopes=scopes)


def schemathesis(url: str, bearer: str, tmp_path: Path) -> tuple[int, str]:
    st = Path(sys.executable).with_name("st")
    result = subprocess.run(
        [
            str(st), "--config-file", str(CONFIG), "--no-color", "run", f"{url}/openapi.json",
            "--checks", "all", "--max-examples", str(MAX_EXAMPLES), "--seed", "20261201",
            "--header", f"Authorization: Bearer {bearer}", "--workers", "1",
            "--generation-database", "none", "--report-dir", str(tmp_path),
        ],
        env={**os.environ, "SCHEMATHESIS_HOOKS": "tests.contract.checks", "PYTHONPATH": str(ROOT)},
        cwd=tmp_path,  # its caches stay out of the working tree
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("service", ["planner", "archive", "notifier"])
def test_schemathesis_finds_nothing_the_contract_does_not_say(running_services, service, tmp_path):
    url = running_services[service]
    bearer = token(*SCOPES[service])
    if service == "archive":  # the sample plan's events have reached the archive
        _wait_for_items(url, bearer)

    code, output = schemathesis(url, bearer, tmp_path)

    figures = re.search(r"Test cases:\s*\n\s*(\d+) generated", output)
    print(f"{service}: {figures.group(1) if figures else '?'} test cases")
    assert code == 0, output[-12_000:]
    assert "Tested:" in output


def _wait_for_items(url: str, bearer: str) -> None:
    headers = {"Authorization": f"Bearer {bearer}"}
    for _ in range(200):
        if httpx.get(f"{url}/api/v1/items", headers=headers, timeout=5).json():
            return
        time.sleep(0.2)
    raise AssertionError("the archive never received the sample plan")
