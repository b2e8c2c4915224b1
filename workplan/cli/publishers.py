"""``workplan publishers add|remove|list``: external systems that publish events.

Runs against the broker's management HTTP API (``WORKPLAN_BROKER_API_URL``, by default
port 15672 beside the AMQP host, as the AMQP URL's user, who must be an administrator).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from shared.runtime.listing import print_document
from shared.settings import WorkplanSettings

if TYPE_CHECKING:  # the HTTP client loads only when a command runs (--help stays quick)
    from workplan.publisher_onboarding import PublisherOnboarding

app = typer.Typer(
    help="External systems that publish events: own broker user and exchange, allowed types.",
    no_args_is_help=True,
)
T = TypeVar("T")


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The system's name; also its broker user.")],
    source: Annotated[str, typer.Option(help="Its CloudEvents source, a URN.")],
    types: Annotated[
        list[str],
        typer.Option(
            "--types",
            "--type",
            help="Type patterns it may publish (AMQP topic syntax: '*' one word, '#' any); "
            "repeat the option or separate them with commas.",
        ),
    ],
    password: Annotated[
        str | None,
        typer.Option(
            envvar="WORKPLAN_NEW_PUBLISHER_PASSWORD",
            help="Its broker password (at least 12 characters); generated when left out.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The details as JSON.")] = False,
) -> None:
    """Create the system's broker user and exchange, and print its connection details."""
    patterns = [pattern for value in types for pattern in value.replace(",", " ").split()]
    details = _run(lambda onboarding: onboarding.add(name, source, patterns, password))
    registration = details.registration
    document = {
        "name": registration.name,
        "amqp_url": details.amqp_url,
        "user": registration.user,
        "exchange": registration.exchange,
        "source": registration.source,
        "type_patterns": list(registration.types),
        "types": details.publishable_types,
    }
    if as_json:
        print_document(document)
        return
    typer.echo(f"registered {registration.name}: give these details to the system's operators")
    typer.echo(f"  AMQP URL      {details.amqp_url}")
    typer.echo(f"  exchange      {registration.exchange}  (routing key: the event type)")
    typer.echo(f"  user_id       {registration.user}  (set on every message; the broker checks)")
    typer.echo(f"  source        {registration.source}")
    typer.echo(f"  may publish   {', '.join(registration.types)}")
    typer.echo(f"  which is now  {', '.join(details.publishable_types)}")
    typer.echo("Publish persistent messages with confirms and mandatory (a type not listed is")
    typer.echo("returned as unroutable); CloudEvents structured or binary mode (docs/events.md).")


@app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="The system's name.")]) -> None:
    """Delete the system's broker user (its connections close) and its exchange."""
    registration = _run(lambda onboarding: onboarding.remove(name))
    typer.echo(f"removed {registration.name} ({registration.source})")


@app.command("list")
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
) -> None:
    """The external publishers registered on the broker under this deployment's prefix."""
    registrations = _run(lambda onboarding: onboarding.list())
    rows = [
        {
            "name": r.name,
            "source": r.source,
            "user": r.user,
            "exchange": r.exchange,
            "types": list(r.types),
        }
        for r in registrations
    ]
    if as_json:
        print_document(rows)
        return
    if not rows:
        typer.echo("no external publishers are registered")
        return
    for row in rows:
        typer.echo(f"{row['name']:20} {row['source']:40} {', '.join(row['types'])}")


def _run(action: Callable[[PublisherOnboarding], Awaitable[T]]) -> T:
    from shared.messaging.broker_api import BrokerApi, BrokerApiError  # noqa: PLC0415
    from shared.messaging.topology import Topology  # noqa: PLC0415
    from workplan.publisher_onboarding import (  # noqa: PLC0415
        OnboardingError,
        PublisherOnboarding,
    )

    settings = WorkplanSettings()
    amqp_url = settings.amqp_url.get_secret_value()
    api_url = settings.broker_api_url.get_secret_value() if settings.broker_api_url else None

    async def run() -> T:
        async with BrokerApi.for_amqp(api_url, amqp_url) as api:
            onboarding = PublisherOnboarding(
                api, Topology(settings.broker_prefix), amqp_url, reserved=set(settings.publishers)
            )
            return await action(onboarding)

    try:
        return asyncio.run(run())
    except OnboardingError as exc:
        raise typer.BadParameter(exc.reason, param_hint=exc.field) from exc
    except BrokerApiError as exc:
        typer.echo(f"the broker refused: {exc.reason}", err=True)
        raise typer.Exit(1) from exc
