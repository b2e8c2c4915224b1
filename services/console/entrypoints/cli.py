"""``workplan users``: the console's local accounts (add, list)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console as Terminal
from rich.table import Table

from services.console.adapters.service_client import ServiceUnavailable
from services.console.bootstrap import bootstrap
from services.console.domain.accounts import ROLES, scopes_for
from services.console.domain.errors import ConsoleError
from services.console.handlers import accounts
from services.console.settings import ConsoleSettings

app = typer.Typer(help="Staff accounts of the console (local sign-in, argon2 password hashes).")
terminal = Terminal(stderr=True)


@app.command("add")
def add(
    username: Annotated[
        str, typer.Argument(help="Sign-in name: lower-case letters, digits, . _ -")
    ],
    role: Annotated[
        list[str], typer.Option("--role", help=f"Repeat for several: {', '.join(ROLES)}.")
    ],
    email: Annotated[
        str | None, typer.Option(help="Links the account to its notifier recipient (inbox).")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Name shown in the console.")] = None,
    language: Annotated[str, typer.Option(help="az, en or ru.")] = "az",
    password: Annotated[
        str | None,
        typer.Option(
            envvar="WORKPLAN_NEW_USER_PASSWORD",
            help="At least 10 characters; asked for when not given.",
        ),
    ] = None,
    oidc: Annotated[
        bool, typer.Option(help="No password: the person signs in through OpenID Connect.")
    ] = False,
) -> None:
    """Add a staff account; with --email, find or create its notifier recipient."""
    if password is None and not oidc:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        added, linked = asyncio.run(
            _add(username, role, email, name, language, None if oidc else password)
        )
    except ConsoleError as exc:
        terminal.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    scopes = " ".join(sorted(scopes_for(added.roles)))
    terminal.print(
        f"added [bold]{added.username}[/bold] ({', '.join(sorted(added.roles))}): {scopes}"
    )
    if email and not linked:
        terminal.print(
            "[yellow]the notifier did not answer: the inbox is linked at the first sign-in[/yellow]"
        )


async def _add(
    username: str,
    roles: list[str],
    email: str | None,
    name: str | None,
    language: str,
    password: str | None,
) -> tuple[accounts.Account, bool]:
    console = bootstrap(ConsoleSettings())
    try:
        added = await accounts.add_account(
            console.accounts, console.passwords, username, roles=roles, password=password,
            display_name=name, email=email, language=language,
        )  # fmt: skip
        try:
            added = await accounts.link_inbox(console.accounts, console.directory, added)
        except ServiceUnavailable:
            return added, False
        return added, added.recipient_id is not None
    finally:
        await console.close()


@app.command("list")
def list_accounts() -> None:
    """Every account with its roles and whether its inbox is linked."""
    found = asyncio.run(_all())
    table = Table("user", "name", "roles", "e-mail", "recipient", "sign-in")
    for account in found:
        table.add_row(
            account.username,
            account.display_name,
            ", ".join(sorted(account.roles)),
            account.email or "",
            str(account.recipient_id or ""),
            "password" if account.password_hash else "OIDC",
        )
    Terminal(width=200).print(table)


async def _all() -> list[accounts.Account]:
    console = bootstrap(ConsoleSettings())
    try:
        return await console.accounts.all()
    finally:
        await console.close()
