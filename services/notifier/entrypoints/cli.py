"""``workplan notifier-admin …``: recipients, subscriptions, webhooks, deliveries, digests."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any, TypeVar, cast

import typer
from rich.console import Console

from services.notifier.bootstrap import Notifier, bootstrap
from services.notifier.domain.deliveries import UNDELIVERED
from services.notifier.domain.digests import check_digest_day
from services.notifier.domain.errors import NotifierError, RuleViolation
from services.notifier.domain.recipients import Language
from services.notifier.domain.subscriptions import Channel, Mode
from services.notifier.handlers import deliveries, recipients, subscriptions
from services.notifier.handlers.commands import (
    AddMandatoryNotice,
    AddRecipient,
    AddSubscription,
    AddWebhookEndpoint,
    UpdateSubscription,
    UpdateWebhookEndpoint,
)
from services.notifier.handlers.digests import compose_digests
from services.notifier.handlers.ports import DeliveryFilter, Page
from services.notifier.settings import NotifierSettings
from shared.runtime.listing import Column, print_document, print_listing

T = TypeVar("T")
console = Console()
errors = Console(stderr=True)

app = typer.Typer(help="Manage the notifier.", no_args_is_help=True)
recipients_app = typer.Typer(help="Recipients: who is notified.", no_args_is_help=True)
subscriptions_app = typer.Typer(help="Subscriptions: what they hear of.", no_args_is_help=True)
webhooks_app = typer.Typer(help="Webhook endpoints of recipients.", no_args_is_help=True)
mandatory_app = typer.Typer(help="Notices muting cannot silence.", no_args_is_help=True)
deliveries_app = typer.Typer(help="The delivery log: failed ones, resend.", no_args_is_help=True)
digest_app = typer.Typer(help="The daily digest.", no_args_is_help=True)
app.add_typer(recipients_app, name="recipients")
app.add_typer(subscriptions_app, name="subscriptions")
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(mandatory_app, name="mandatory")
app.add_typer(deliveries_app, name="deliveries")
app.add_typer(digest_app, name="digest")

Id = Annotated[uuid.UUID, typer.Argument(help="The id.")]
Limit = Annotated[int, typer.Option(min=1, max=10_000)]
Json = Annotated[bool, typer.Option("--json", help="Every field of every row, as JSON.")]


def run(work: Callable[[Notifier], Awaitable[T]], settings: NotifierSettings | None = None) -> T:
    """Run one piece of work with a fresh composition; domain errors exit 1 with the message."""

    async def main() -> T:
        notifier = bootstrap(settings or NotifierSettings())
        try:
            return await work(notifier)
        finally:
            await notifier.engine.dispose()

    try:
        return asyncio.run(main())
    except NotifierError as exc:
        errors.print(f"[red]refused:[/red] {exc}")
        raise typer.Exit(1) from exc


@recipients_app.command("add")
def add_recipient(
    name: Annotated[str, typer.Option()],
    email: Annotated[str, typer.Option()],
    language: Annotated[str, typer.Option(help="az, en or ru")] = "en",
    timezone: Annotated[str, typer.Option(help="IANA time zone")] = "Asia/Baku",
    cleared: Annotated[
        bool, typer.Option(help="Cleared for restricted data (told, redacted, of its changes)")
    ] = False,
) -> None:
    """Add a recipient; prints its id."""
    lang = cast("Language", _one_of(language, ("az", "en", "ru"), "--language"))
    command = AddRecipient(
        name=name, email=email, language=lang, timezone=timezone, cleared=cleared
    )
    recipient = run(lambda n: recipients.add_recipient(command, n.uow()))
    console.print(str(recipient.id))


@recipients_app.command("list")
def list_recipients(limit: Limit = 100, as_json: Json = False) -> None:
    found = run(lambda n: recipients.list_recipients(n.uow(), Page(limit=limit)))
    columns = [
        Column("id", "id", copyable=True),
        Column("name", "name"),
        Column("e-mail", "email", copyable=True),
        Column("language", "language"),
        Column("time zone", "timezone"),
        Column("active", "active"),
        Column("cleared", "cleared"),
    ]
    print_listing([_fields(r) for r in found], columns, as_json=as_json, console=console)


@subscriptions_app.command("add")
def add_subscription(  # noqa: PLR0917 - a command takes one argument per option
    recipient: Annotated[uuid.UUID, typer.Option(help="Recipient id")],
    channel: Annotated[str, typer.Option(help="email, webhook or inbox")],
    event_type: Annotated[str, typer.Option(help="A type, a prefix ending in *, or *")] = "*",
    mode: Annotated[str, typer.Option(help="immediate or digest (e-mail only)")] = "immediate",
    committee: Annotated[str | None, typer.Option()] = None,
    item: Annotated[uuid.UUID | None, typer.Option(help="Item id")] = None,
    organization: Annotated[str | None, typer.Option(help="Organisation code")] = None,
) -> None:
    """Subscribe a recipient; prints the subscription id."""
    chosen_channel = cast("Channel", _one_of(channel, ("email", "webhook", "inbox"), "--channel"))
    chosen_mode = cast("Mode", _one_of(mode, ("immediate", "digest"), "--mode"))
    command = AddSubscription(
        recipient_id=recipient,
        channel=chosen_channel,
        event_type=event_type,
        mode=chosen_mode,
        committee=committee,
        item_id=item,
        organization=organization,
    )
    subscription = run(lambda n: subscriptions.add_subscription(command, n.uow()))
    console.print(str(subscription.id))


@subscriptions_app.command("list")
def list_subscriptions(
    recipient: Annotated[uuid.UUID | None, typer.Option(help="Only this recipient's")] = None,
    limit: Limit = 100,
    as_json: Json = False,
) -> None:
    found = run(lambda n: subscriptions.list_subscriptions(n.uow(), recipient, Page(limit=limit)))
    rows = []
    for s in found:
        filters = ", ".join(
            f"{k}={v}"
            for k, v in (
                ("committee", s.committee),
                ("item", s.item_id),
                ("organization", s.organization),
            )
            if v
        )
        rows.append(_fields(s) | ({} if as_json else {"filters": filters}))
    columns = [
        Column("id", "id", copyable=True),
        Column("recipient", "recipient_id", copyable=True),
        Column("channel", "channel"),
        Column("mode", "mode"),
        Column("event type", "event_type", copyable=True),
        Column("filters", "filters"),
        Column("muted", "muted"),
    ]
    print_listing(rows, columns, as_json=as_json, console=console)


@subscriptions_app.command("mute")
def mute(subscription: Id) -> None:
    """Silence a subscription (mandatory notices still arrive)."""
    _set_muted(subscription, muted=True)


@subscriptions_app.command("unmute")
def unmute(subscription: Id) -> None:
    _set_muted(subscription, muted=False)


def _set_muted(subscription: uuid.UUID, *, muted: bool) -> None:
    command = UpdateSubscription(subscription, {"muted": muted})
    run(lambda n: subscriptions.update_subscription(command, n.uow()))
    console.print(f"{subscription}: {'muted' if muted else 'unmuted'}")


@subscriptions_app.command("remove")
def remove_subscription(subscription: Id) -> None:
    run(lambda n: subscriptions.remove_subscription(subscription, n.uow()))
    console.print(f"{subscription}: removed")


@webhooks_app.command("add")
def add_webhook(
    recipient: Annotated[uuid.UUID, typer.Option(help="Recipient id")],
    url: Annotated[str, typer.Option(help="The receiver's http(s) URL")],
    description: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Register a receiver; prints its id and signing secret (shown only now)."""
    command = AddWebhookEndpoint(recipient_id=recipient, url=url, description=description)
    endpoint = run(lambda n: recipients.add_webhook_endpoint(command, n.uow()))
    console.print(f"id:     {endpoint.id}\nsecret: {endpoint.secret}")


@webhooks_app.command("list")
def list_webhooks(limit: Limit = 100, as_json: Json = False) -> None:
    found = run(lambda n: recipients.list_webhook_endpoints(n.uow(), Page(limit=limit)))
    columns = [
        Column("id", "id", copyable=True),
        Column("recipient", "recipient_id", copyable=True),
        Column("url", "url", copyable=True),
        Column("enabled", "enabled"),
        Column("why disabled", "disabled_reason"),
    ]
    rows = [_fields(e, hide=("secret",)) for e in found]  # the secret is shown only once
    print_listing(rows, columns, as_json=as_json, console=console)


@webhooks_app.command("enable")
def enable_webhook(endpoint: Id) -> None:
    """Enable an endpoint again (e.g. after a 410 disabled it)."""
    command = UpdateWebhookEndpoint(endpoint, {"enabled": True})
    run(lambda n: recipients.update_webhook_endpoint(command, n.uow()))
    console.print(f"{endpoint}: enabled")


@webhooks_app.command("disable")
def disable_webhook(endpoint: Id) -> None:
    command = UpdateWebhookEndpoint(endpoint, {"enabled": False})
    run(lambda n: recipients.update_webhook_endpoint(command, n.uow()))
    console.print(f"{endpoint}: disabled")


@webhooks_app.command("rotate-secret")
def rotate_secret(endpoint: Id) -> None:
    """A new signing secret; prints it (shown only now)."""
    found = run(lambda n: recipients.rotate_webhook_secret(endpoint, n.uow()))
    console.print(f"secret: {found.secret}")


@mandatory_app.command("add")
def add_mandatory(
    event_type: Annotated[str, typer.Option(help="e.g. workplan.hearing.cancelled.*")],
    committee: Annotated[str | None, typer.Option(help="Only this committee's")] = None,
    description: Annotated[str | None, typer.Option()] = None,
) -> None:
    command = AddMandatoryNotice(event_type, committee, description)
    notice = run(lambda n: subscriptions.add_mandatory_notice(command, n.uow()))
    console.print(str(notice.id))


@mandatory_app.command("list")
def list_mandatory(as_json: Json = False) -> None:
    found = run(lambda n: subscriptions.list_mandatory_notices(n.uow()))
    columns = [
        Column("id", "id", copyable=True),
        Column("event type", "event_type", copyable=True),
        Column("committee", "committee"),
        Column("description", "description"),
    ]
    rows = [_fields(m) | ({} if as_json else {"committee": m.committee or "(all)"}) for m in found]
    print_listing(rows, columns, as_json=as_json, console=console)


@mandatory_app.command("remove")
def remove_mandatory(notice: Id) -> None:
    run(lambda n: subscriptions.remove_mandatory_notice(notice, n.uow()))
    console.print(f"{notice}: removed")


@deliveries_app.command("failed")
def failed_deliveries(limit: Limit = 100, as_json: Json = False) -> None:
    """Deliveries that did not go out: retrying, failed, dead (newest first)."""
    where = DeliveryFilter(statuses=UNDELIVERED, include_restricted=True)  # the operator
    found = run(lambda n: deliveries.list_deliveries(n.uow(), where, Page(limit=limit)))
    columns = [
        Column("id", "id", copyable=True),
        Column("status", "status"),
        Column("channel", "channel"),
        Column("to", "target", copyable=True),
        Column("event", "event_type"),
        Column("attempts", "attempts"),
        Column("last error", "last_error"),
    ]
    print_listing([_fields(d) for d in found], columns, as_json=as_json, console=console)
    if not as_json:
        console.print(f"{len(found)} delivery(ies) not delivered")


@deliveries_app.command("show")
def show_delivery(delivery: Id, as_json: Json = False) -> None:
    """One delivery and its journal."""
    found, journal = run(lambda n: deliveries.read_delivery(n.uow(), delivery, cleared=True))
    if as_json:
        print_document(_fields(found) | {"journal": [_fields(entry) for entry in journal]})
        return
    console.print(
        f"{found.id} {found.channel} to {found.target}: {found.status}, "
        f"{found.attempts} attempt(s); event {found.event_type} {found.event_id}",
        soft_wrap=True,
    )
    columns = [
        Column("attempt", "attempt"),
        Column("status", "status"),
        Column("at", "at"),
        Column("detail", "detail"),
    ]
    print_listing([_fields(entry) for entry in journal], columns, as_json=False, console=console)


@deliveries_app.command("resend")
def resend(
    delivery: Annotated[list[uuid.UUID] | None, typer.Argument(help="Delivery ids")] = None,
    all_undelivered: Annotated[
        bool, typer.Option("--all", help="Every failed and dead delivery")
    ] = False,
) -> None:
    """Queue deliveries for an attempt now, with a fresh retry schedule."""
    if not delivery and not all_undelivered:
        raise typer.BadParameter("name deliveries, or pass --all")

    async def resend_them(notifier: Notifier) -> int:
        ids = list(delivery or ())
        if all_undelivered:
            where = DeliveryFilter(statuses=("failed", "dead"), include_restricted=True)
            found = await deliveries.list_deliveries(notifier.uow(), where, Page(limit=10_000))
            ids = [d.id for d in found]
        for delivery_id in ids:
            await deliveries.resend_delivery(delivery_id, notifier.uow(), by="cli", cleared=True)
        return len(ids)

    console.print(f"queued {run(resend_them)} delivery(ies) again")


@digest_app.command("run")
def run_digest(
    day: Annotated[
        str | None, typer.Option("--date", help="YYYY-MM-DD; default: each one's due digest")
    ] = None,
) -> None:
    """Queue the daily digests now (the delivery worker of a running notifier sends them)."""
    try:
        chosen = check_digest_day(date.fromisoformat(day)) if day else None
    except ValueError as exc:
        raise typer.BadParameter("a date as YYYY-MM-DD", param_hint="--date") from exc
    except RuleViolation as exc:
        raise typer.BadParameter(str(exc), param_hint="--date") from exc

    async def compose(notifier: Notifier) -> int:
        return await compose_digests(
            notifier.uow,
            notifier.renderer,
            hour=notifier.settings.digest_hour,
            day=chosen,
            now=notifier.clock(),
        )

    console.print(f"queued {run(compose)} digest(s)")


def _fields(record: Any, hide: tuple[str, ...] = ()) -> dict[str, Any]:
    """A domain record as a row: every field but the hidden ones."""
    return {k: v for k, v in dataclasses.asdict(record).items() if k not in hide}


def _one_of(value: str, allowed: tuple[str, ...], hint: str) -> str:
    if value not in allowed:
        raise typer.BadParameter(" or ".join(allowed), param_hint=hint)
    return value
