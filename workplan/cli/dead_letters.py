"""``workplan deadletters list|replay``: what a service refused, and why; send it back.

The broker client is imported only when a command runs, so that ``--help`` answers at once.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console

from shared.runtime.listing import Column, print_listing
from shared.settings import WorkplanSettings

app = typer.Typer(help="Dead-lettered messages of a service.", no_args_is_help=True)
console = Console()
ServiceOption = Annotated[str, typer.Option(help="planner, archive or notifier")]


@app.command("list")
def list_command(
    service: ServiceOption = "planner",
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Every field, as JSON.")] = False,
) -> None:
    """Show dead letters with their reason (they stay in the queue)."""
    from shared.messaging.dead_letter_queue import list_dead_letters  # noqa: PLC0415
    from shared.messaging.topology import Topology  # noqa: PLC0415

    settings = WorkplanSettings()
    letters = asyncio.run(
        list_dead_letters(
            settings.amqp_url.get_secret_value(), Topology(settings.broker_prefix), service, limit
        )
    )
    rows = [
        {
            "message_id": letter.message_id,
            "code": letter.code,
            "reason": letter.reason,
            "routing_key": letter.routing_key,
            "exchange": letter.exchange,
            "dead_lettered_at": letter.dead_lettered_at,
            "content_type": letter.content_type,
            "body": letter.body.decode("utf-8", "replace"),
        }
        for letter in letters
    ]
    columns = [
        Column("message id", "message_id", copyable=True),
        Column("code", "code"),
        Column("reason", "reason"),
        Column("routing key", "routing_key", copyable=True),
        Column("at", "dead_lettered_at"),
    ]
    print_listing(rows, columns, as_json=as_json, console=console)
    if not as_json:
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
    from shared.messaging.dead_letter_queue import replay_dead_letters  # noqa: PLC0415
    from shared.messaging.topology import Topology  # noqa: PLC0415

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
