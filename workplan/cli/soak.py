"""``workplan soak``: load and faults on a stack of its own (the code lives in ``bench/soak``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

KINDS_HELP = (
    "Fault kinds to inject, comma-separated (default: all): kill-planner, kill-archive, "
    "kill-notifier, term-planner, term-archive, term-notifier, broker-node, broker-cluster, "
    "postgres-fast, postgres-immediate, mail-down, webhook-down."
)


def soak(
    events: Annotated[
        int, typer.Option(min=10, help="Staff actions and external events, in all.")
    ] = 5_000,
    rate: Annotated[
        float | None,
        typer.Option(
            min=0.1,
            help="Events offered per second (both kinds); default: spread over the faults.",
        ),
    ] = None,
    http_share: Annotated[
        float, typer.Option(min=0.01, max=0.99, help="Share of staff actions (HTTP API).")
    ] = 0.6,
    rounds: Annotated[int, typer.Option(min=0, help="Each fault kind this many times.")] = 1,
    faults: Annotated[str | None, typer.Option(help=KINDS_HELP)] = None,
    down_for: Annotated[
        float, typer.Option(min=0, help="Seconds a stopped server or receiver stays down.")
    ] = 3.0,
    gap: Annotated[float, typer.Option(min=0, help="Seconds between faults.")] = 2.0,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Where to write the figures (JSON).")
    ] = None,
    keep_logs: Annotated[
        Path | None, typer.Option(help="Copy the services' logs into this folder.")
    ] = None,
) -> None:
    """Start a PostgreSQL and a three-node RabbitMQ cluster of its own, the services, an SMTP
    sink and a webhook receiver; drive staff actions and external events while killing,
    stopping and restarting each of them; then compare what was committed with what every
    service stored and sent. Exits 1 if anything was lost or applied twice."""
    from bench.soak.faults import KINDS  # noqa: PLC0415 - heavy: load only when asked
    from bench.soak.run import SoakPlan, main  # noqa: PLC0415

    kinds = tuple(k.strip() for k in faults.split(",") if k.strip()) if faults else KINDS
    try:
        plan = SoakPlan(
            events=events, rate=rate, http_share=http_share, rounds=rounds, kinds=kinds,
            down_for=down_for, gap=gap,
        )  # fmt: skip
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    raise typer.Exit(main(plan, json_path, keep_logs))
