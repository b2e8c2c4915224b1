"""The repository's own rules: import boundaries, and contract documents kept up to date."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from workplan.cli.contract_docs import stale

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_committed_schemas_and_asyncapi_match_the_code():
    outdated = [str(path.relative_to(ROOT)) for path in stale()]
    assert outdated == [], "run `workplan contract write` and commit the result"
