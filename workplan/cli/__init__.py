"""Entry point of the ``workplan`` command.

Each command's module is imported only when that command runs (:mod:`workplan.cli.lazy`):
listing the commands, minting a token or publishing an event loads no service.
"""

from __future__ import annotations

import typer

from workplan.cli.lazy import Entry, LazyGroup

COMMANDS = (
    Entry(
        "migrate",
        "workplan.cli.running:migrate",
        "Create the database if missing and upgrade every service schema to head.",
    ),
    Entry(
        "planner",
        "workplan.cli.services:planner",
        "Run the planner: HTTP API, consumers and outbox relay in one process.",
    ),
    Entry(
        "up",
        "workplan.cli.running:up",
        "Migrate, load the sample work plan, start every service; Ctrl-C stops them all.",
    ),
    Entry(
        "archive",
        "workplan.cli.archive:app",
        "The archive: run it, or re-index and rebuild it from its log",
    ),
    Entry(
        "notifier",
        "workplan.cli.services:notifier",
        "Run the notifier: HTTP API, consumer, delivery and digest workers in one process.",
    ),
    Entry(
        "console",
        "workplan.cli.console_commands:console",
        "Run the staff console (web pages for staff) on port 8000.",
    ),
    Entry(
        "users",
        "services.console.entrypoints.cli:app",
        "Staff accounts of the console: add (local password or OIDC), list.",
    ),
    Entry(
        "notifier-admin",
        "services.notifier.entrypoints.cli:app",
        "Recipients, subscriptions, webhooks, mandatory notices, deliveries, digests.",
    ),
    Entry(
        "import",
        "services.planner.entrypoints.cli:import_command",
        "Import a work-plan file; re-importing the same file changes and emits nothing.",
    ),
    Entry(
        "publish",
        "workplan.cli.events:publish",
        "Publish one CloudEvent to the events exchange and wait for the broker's confirm.",
    ),
    Entry(
        "publishers",
        "workplan.cli.publishers:app",
        "External systems that publish events: own broker user and exchange, allowed types.",
    ),
    Entry("tokens", "workplan.cli.tokens:app", "Bearer tokens (JWT) for the HTTP APIs."),
    Entry("deadletters", "workplan.cli.dead_letters:app", "Dead-lettered messages of a service."),
    Entry(
        "bench",
        "workplan.cli.bench:bench",
        "Measure the whole pipeline on the real services beside this machine's raw limit.",
    ),
    Entry(
        "soak",
        "workplan.cli.soak:soak",
        "Drive load while killing and restarting every part; check nothing is lost or doubled.",
    ),
    Entry(
        "contract",
        "workplan.cli.contract_docs:app",
        "Generated contract documents (JSON Schemas, AsyncAPI).",
    ),
    Entry(
        "feeds",
        "services.archive.entrypoints.feeds_cli:app",
        "Calendar feed addresses (secret URLs a calendar program subscribes to).",
    ),
    Entry(
        "cluster",
        "workplan.cli.cluster:app",
        "A three-node RabbitMQ cluster of its own on this machine: up, status, down.",
    ),
    Entry("mail", "workplan.cli.mail:app", "Mail caught by the local catcher of `workplan up`."),
)


class WorkplanCommands(LazyGroup):
    entries = COMMANDS


app = typer.Typer(
    name="workplan",
    cls=WorkplanCommands,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def workplan() -> None:
    """Work plans, hearings and meetings of parliamentary committees."""


def main() -> None:
    app()
