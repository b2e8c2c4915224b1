"""The planner's commands: ``workplan import FILE``."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
import yaml
from pydantic import ValidationError
from rich.console import Console

from services.planner.bootstrap import bootstrap
from services.planner.domain.errors import PlannerError
from services.planner.handlers.plan_file import PlanFile
from services.planner.handlers.plan_import import ImportReport, import_plan
from services.planner.settings import PlannerSettings
from shared.contract.registry import describe_validation_error

console = Console(stderr=True)


def read_plan_file(path: Path) -> PlanFile:
    """Parse and validate a work-plan file, or exit with a message naming what is wrong."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise typer.BadParameter(f"cannot read {path}: {exc}") from exc
    try:
        return PlanFile.model_validate(raw)
    except ValidationError as exc:
        problems = _visible(describe_validation_error(exc, limit=10))
        raise typer.BadParameter(f"{path} is not a valid work plan: {problems}") from exc


def _visible(text: str) -> str:
    """Control characters (a NUL in a key, say) escaped, so the message shows them."""
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)


async def run_import(plan: PlanFile, settings: PlannerSettings) -> ImportReport:
    planner = bootstrap(settings)
    try:
        return await import_plan(plan, planner.uow())
    finally:
        await planner.engine.dispose()


def import_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Work plan (YAML)")],
) -> None:
    """Import a work-plan file; re-importing the same file changes and emits nothing."""
    plan = read_plan_file(file)
    try:
        report = asyncio.run(run_import(plan, PlannerSettings()))
    except PlannerError as exc:
        console.print(f"[red]refused:[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print(
        f"[bold]{plan.committee.code} {plan.session.code}[/bold]: "
        f"{len(report.items_created)} items created, {len(report.items_updated)} updated, "
        f"{len(report.items_unchanged)} unchanged; organisations: "
        f"{len(report.organizations_created)} created, {len(report.organizations_updated)} "
        f"updated; {len(report.hearings_created)} hearings scheduled, "
        f"{len(report.meetings_created)} meetings recorded",
        soft_wrap=True,
    )
