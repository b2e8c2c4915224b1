"""``workplan archive`` (run it) and ``workplan archive rebuild``."""

from __future__ import annotations

import typer

from services.archive.entrypoints import cli as archive_cli
from workplan.cli import services

app = typer.Typer(help="The archive: run it, or re-index and rebuild it from its log.")
app.callback(invoke_without_command=True)(services.archive)
app.command("rebuild")(archive_cli.rebuild)
