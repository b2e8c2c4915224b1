"""Run one service in this process: ``planner``, ``archive``, ``notifier``.

Each loads its own service and nothing else the command line has: no Alembic, HTTP client
or rich stays resident in a service process for the commands it never runs.
"""

from __future__ import annotations

import typer


def planner() -> None:
    """Run the planner: HTTP API, consumers and outbox relay in one process."""
    from services.planner.main import run  # noqa: PLC0415 - load only the service asked for

    run()


def archive(ctx: typer.Context) -> None:
    """Run the archive: HTTP query API and the consumer of every event, in one process."""
    if ctx.invoked_subcommand is None:
        from services.archive.main import run  # noqa: PLC0415

        run()


def notifier() -> None:
    """Run the notifier: HTTP API, consumer, delivery and digest workers in one process."""
    from services.notifier.main import run  # noqa: PLC0415

    run()
