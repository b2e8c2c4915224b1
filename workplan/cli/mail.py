"""``workplan mail list|show|catch``: the mail a local run caught instead of sending.

``workplan up`` runs the catcher when no SMTP server is configured; ``catch`` runs it alone
(e.g. beside ``workplan notifier`` with ``WORKPLAN_SMTP_PORT`` pointing at it).
"""

from __future__ import annotations

import signal
import sys
import threading
from typing import Annotated

import typer
from rich.console import Console

from shared.runtime.listing import Column, print_listing
from shared.runtime.mail_folder import CaughtMail, MailFolder, MailNotFound
from workplan.local_run.mail_catcher import MailCatcher
from workplan.local_run.settings import LocalRunSettings

app = typer.Typer(
    help="Mail caught by the local mail catcher of `workplan up`.", no_args_is_help=True
)
LISTED = (
    Column("id", "id", copyable=True),
    Column("received (UTC)", "received_at"),
    Column("to", "to", copyable=True),
    Column("subject", "subject"),
)
SHOWN_HEADERS = ("Date", "From", "To", "Subject", "List-Unsubscribe", "List-Unsubscribe-Post")


def _folder() -> MailFolder:
    return MailFolder(LocalRunSettings().mail_catcher_dir)


@app.command("list")
def list_command(
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Newest first, at most.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Caught messages, newest first: id, when, to whom, subject."""
    folder = _folder()
    caught = folder.list()[:limit]
    console = Console()
    if not caught and not as_json:
        console.print(f"no mail caught yet in {folder.path.resolve()}", markup=False)
        return
    print_listing([_document(mail) for mail in caught], LISTED, as_json=as_json)
    if not as_json:
        console.print(f"{len(caught)} message(s) in {folder.path.resolve()}", markup=False)


@app.command("show")
def show(
    mail_id: Annotated[
        str | None, typer.Argument(help="An id from `workplan mail list` (or its start).")
    ] = None,
    raw: Annotated[bool, typer.Option(help="The message exactly as received.")] = False,
) -> None:
    """One caught message (the newest without an id): its headers and its text."""
    try:
        mail = _folder().find(mail_id)
    except MailNotFound as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    if raw:
        sys.stdout.buffer.write(mail.raw())
        return
    message = mail.message()
    for name in SHOWN_HEADERS:
        if message[name] is not None:
            typer.echo(f"{name}: {message[name]}")
    parts = [part.get_content_type() for part in message.walk() if not part.is_multipart()]
    typer.echo(f"Parts: {', '.join(parts)}")
    body = message.get_body(preferencelist=("plain",))
    typer.echo("")
    typer.echo(body.get_content().rstrip() if body is not None else "(no text part)")


@app.command("catch")
def catch() -> None:
    """Run the mail catcher alone, until Ctrl-C."""
    settings = LocalRunSettings()
    catcher = MailCatcher(
        MailFolder(settings.mail_catcher_dir),
        settings.mail_catcher_host,
        settings.mail_catcher_port,
    )
    catcher.start()
    typer.echo(
        f"catching mail at {catcher.address} into {catcher.folder.path.resolve()}; Ctrl-C stops",
        err=True,
    )
    stop = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stop.set())
    stop.wait()
    catcher.stop()


def _document(mail: CaughtMail) -> dict[str, object]:
    return {
        "id": mail.id,
        "received_at": mail.received_at.isoformat(),
        "from": mail.sender,
        "to": mail.recipients,
        "subject": mail.subject,
        "size": mail.size,
        "path": str(mail.path.resolve()),
    }
