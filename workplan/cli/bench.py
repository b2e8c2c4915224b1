"""``workplan bench``: measure the whole pipeline (the code lives in ``bench/pipeline``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def bench(
    quick: Annotated[
        bool, typer.Option(help="A short run (one repeat, small loads), as CI runs it.")
    ] = False,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Where to write the results (JSON).")
    ] = None,
    profile: Annotated[
        Path | None,
        typer.Option(help="Profile every service with py-spy into this folder (collapsed stacks)."),
    ] = None,
) -> None:
    """Measure the pipeline end to end (HTTP API and bus), each stage, latency, CPU and
    memory of every service, beside the raw limit of this machine; exits 1 if any event
    was lost or handled twice."""
    from bench.pipeline.run import main  # noqa: PLC0415 - heavy: load only when asked

    raise typer.Exit(main(quick, json_path, profile))
