"""``workplan contract``: write (or check) the JSON Schemas and AsyncAPI documents in docs/."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml

from shared.contract.documents import render_data_schemas

app = typer.Typer(help="Generated contract documents.", no_args_is_help=True)
DOCS = Path(__file__).resolve().parents[2] / "docs"


def render_asyncapi() -> dict[str, str]:
    """File name → YAML, one AsyncAPI document per service, generated from its app."""
    from services.archive.main import asyncapi as archive_asyncapi  # noqa: PLC0415
    from services.archive.settings import ArchiveSettings  # noqa: PLC0415
    from services.notifier.main import asyncapi as notifier_asyncapi  # noqa: PLC0415
    from services.notifier.settings import NotifierSettings  # noqa: PLC0415
    from services.planner.main import asyncapi as planner_asyncapi  # noqa: PLC0415
    from services.planner.settings import PlannerSettings  # noqa: PLC0415

    # Documents are made from the defaults, never from this machine's environment.
    documents = {
        "planner.yaml": planner_asyncapi(PlannerSettings.model_construct()),
        "archive.yaml": archive_asyncapi(ArchiveSettings.model_construct()),
        "notifier.yaml": notifier_asyncapi(NotifierSettings.model_construct()),
    }
    return {
        name: _stable_yaml(document.to_specification().to_jsonable())
        for name, document in documents.items()
    }


def _stable_yaml(document: object) -> str:
    """Keys sorted: FastStream keeps publishers in a set, so its own order varies per run."""
    return yaml.safe_dump(document, sort_keys=True, allow_unicode=True, width=100)


def rendered() -> dict[Path, str]:
    files = {DOCS / "schemas" / name: text for name, text in render_data_schemas().items()}
    files.update({DOCS / "asyncapi" / name: text for name, text in render_asyncapi().items()})
    return files


def stale() -> list[Path]:
    """Committed documents that differ from what the code generates now."""
    return [
        path
        for path, text in rendered().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


@app.command("write")
def write(
    check: Annotated[bool, typer.Option(help="Only report stale files; exit 1 if any.")] = False,
) -> None:
    """Regenerate docs/schemas/*.json and docs/asyncapi/*.yaml from the code."""
    if check:
        outdated = stale()
        for path in outdated:
            typer.echo(f"stale: {path}")
        raise typer.Exit(1 if outdated else 0)
    for path, text in rendered().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {path}")
