"""``workplan deadletters list|replay``: what a service refused, and why; send it back."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from shared.messaging.dead_letter_queue import list_dead_letters, replay_dead_letters
from shared.messaging.topology import Topology
from shared.settings import WorkplanSettings

app = typer.Typer(help="Dead-lettered messages of a service.", no_args_is_help=True)
console = Console()
ServiceOption = Annotated[str, typer.Option(help="planner, archive or notifier")]


@app.command("list")
def list_command(
    service: ServiceOption = "planner",
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
) -> None:
    """Show dead letters with their reason (they stay in the queue)."""
    settings = WorkplanSettings()
    letters = asyncio.run(
        list_dead_letters(
            settings.amqp_url.get_secret_value(), Topology(settings.broker_prefix), service, limit
        )
    )
    table = Table("message id", "code", "reason", "routing key", "at")
    for letter in letters:
        table.add_row(
            letter.message_id or "-",
            letter.code,
            letter.reason,
            letter.routing_key,
            letter.dead_lettered_at or "-",
        )
    console.print(table)
    console.print(f"{len(letters)} dead letter(s) in {service}")


@app.command("replay")
def replay_command(
    service: ServiceOption = "planner",
    message_id: Annotated[
        list[str] | None, typer.Option("--id", help="Replay only these (repeatable).")
    ] = None,
    replay_all: Annotated[bool, typer.Option("--all", help="Replay every dead letter.")] = False,
) -> None:
    """Send dead letters back to where they first arrived (e.g. after registering a source)."""
    if not replay_all and not message_id:
        raise typer.BadParameter("name messages with --id, or pass --all")
    settings = WorkplanSettings()
    count = asyncio.run(
        replay_dead_letters(
            settings.amqp_url.get_secret_value(),
            Topology(settings.broker_prefix),
            service,
            message_ids=None if replay_all else set(message_id or ()),
        )
    )
    console.print(f"replayed {count} message(s) of {service}")
