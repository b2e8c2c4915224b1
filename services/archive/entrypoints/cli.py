"""The archive's commands: ``workplan archive rebuild``."""

from __future__ import annotations

import asyncio

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from services.archive.adapters.rebuild import SqlReadModelRebuild
from services.archive.handlers.rebuild import rebuild_read_models
from services.archive.settings import ArchiveSettings
from shared.db.engine import asyncpg_dsn

app = typer.Typer(help="The archive: the record of every event.", no_args_is_help=True)
console = Console(stderr=True)


async def run_rebuild(settings: ArchiveSettings, progress: Progress | None = None) -> int:
    dsn = asyncpg_dsn(settings.database_url.get_secret_value())
    task = progress.add_task("replaying the log", total=None) if progress else None

    def advance(done: int, total: int) -> None:
        if progress is not None and task is not None:
            progress.update(task, completed=done, total=total)

    return await rebuild_read_models(SqlReadModelRebuild(dsn), advance)


@app.command("rebuild")
def rebuild() -> None:
    """Drop every read model and rebuild it from the log (the log itself is never changed)."""
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        replayed = asyncio.run(run_rebuild(ArchiveSettings(), progress))
    console.print(f"rebuilt items, hearings, meetings and organisations from {replayed} events")
