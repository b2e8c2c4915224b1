"""Entry point of the ``workplan`` command."""

from __future__ import annotations

import typer

from services.archive.entrypoints import cli as archive_cli
from services.console.entrypoints import cli as console_cli
from services.notifier.entrypoints.cli import app as notifier_admin
from services.planner.entrypoints.cli import import_command
from workplan.cli import console_commands, contract_docs, dead_letters, events, running, tokens

app = typer.Typer(
    name="workplan",
    help="Work plans, hearings and meetings of parliamentary committees.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command("migrate")(running.migrate)
app.command("planner")(running.planner)
app.command("up")(running.up)
archive_app = typer.Typer(help="The archive: run it, or rebuild its read models.")
archive_app.callback(invoke_without_command=True)(running.archive)
archive_app.command("rebuild")(archive_cli.rebuild)
app.add_typer(archive_app, name="archive")
app.command("notifier")(running.notifier)
app.command("console")(console_commands.console)
app.add_typer(console_cli.app, name="users")
app.add_typer(notifier_admin, name="notifier-admin")
app.command("import")(import_command)
app.command("publish")(events.publish)
app.add_typer(tokens.app, name="tokens")
app.add_typer(dead_letters.app, name="deadletters")
app.add_typer(contract_docs.app, name="contract")


def main() -> None:
    app()
