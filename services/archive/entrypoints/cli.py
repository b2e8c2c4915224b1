"""The archive's commands: ``workplan archive rebuild`` (re-index the log, rebuild read models)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from services.archive.adapters.rebuild import SqlReadModelRebuild
from services.archive.adapters.reindex import SqlSearchReindex
from services.archive.handlers.rebuild import rebuild_read_models
from services.archive.handlers.reindex import Reindexed, reindex_search
from services.archive.settings import ArchiveSettings
from shared.db.engine import asyncpg_dsn

app = typer.Typer(help="The archive: the record of every event.", no_args_is_help=True)
console = Console(stderr=True)


async def run_reindex(settings: ArchiveSettings, progress: Progress | None = None) -> Reindexed:
    dsn = asyncpg_dsn(settings.database_url.get_secret_value())
    return await reindex_search(SqlSearchReindex(dsn), _advance(progress, "re-indexing the log"))


async def run_rebuild(settings: ArchiveSettings, progress: Progress | None = None) -> int:
    dsn = asyncpg_dsn(settings.database_url.get_secret_value())
    return await rebuild_read_models(
        SqlReadModelRebuild(dsn), _advance(progress, "replaying the log")
    )


def _advance(progress: Progress | None, description: str) -> Callable[[int, int], None]:
    task = progress.add_task(description, total=None) if progress else None

    def advance(done: int, total: int) -> None:
        if progress is not None and task is not None:
            progress.update(task, completed=done, total=total)

    return advance


@app.command("rebuild")
def rebuild(
    reindex: Annotated[
        bool,
        typer.Option(
            help="First build every event's search document again (needed once after an "
            "upgrade that changes how text is indexed; batches, while the archive runs)."
        ),
    ] = True,
) -> None:
    """Re-index the log's search documents, then drop every read model and rebuild it from
    the log (the events themselves are never changed)."""
    settings = ArchiveSettings()
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        if reindex:
            done = asyncio.run(run_reindex(settings, progress))
            console.print(
                f"re-indexed {done.events} events ({done.changed} search documents changed)"
            )
        replayed = asyncio.run(run_rebuild(settings, progress))
    console.print(f"rebuilt items, hearings, meetings and organisations from {replayed} events")
