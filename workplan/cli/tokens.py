"""``workplan tokens create``: mint a bearer token with scopes."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from shared.auth.tokens import SCOPES, mint_token
from shared.runtime.listing import print_document
from shared.settings import WorkplanSettings

app = typer.Typer(help="Bearer tokens (JWT) for the HTTP APIs.", no_args_is_help=True)


@app.command("create")
def create(
    scope: Annotated[list[str], typer.Option("--scope", "-s", help="Repeat for each scope.")],
    subject: Annotated[str, typer.Option(help="Who the token is for.")] = "staff",
    days: Annotated[int, typer.Option(min=1, max=3650, help="Days until it expires.")] = 30,
) -> None:
    """Print a token signed with WORKPLAN_JWT_SECRET."""
    try:
        token = mint_token(
            WorkplanSettings(), subject=subject, scopes=scope, ttl=timedelta(days=days)
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--scope") from exc
    typer.echo(token)


@app.command("scopes")
def scopes(
    as_json: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
) -> None:
    """List the scopes the services know."""
    if as_json:
        print_document([{"scope": name, "meaning": meaning} for name, meaning in SCOPES.items()])
        return
    for name, meaning in SCOPES.items():
        typer.echo(f"{name:22} {meaning}")
