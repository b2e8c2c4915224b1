"""``workplan publish``: send a test event, as another government system would."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from shared.contract import CloudEvent, InvalidEvent, parse_data
from shared.contract.amqp_binding import STRUCTURED_CONTENT_TYPE, encode_structured
from shared.contract.envelope import JSON_CONTENT_TYPE, SCHEMA_URI_PREFIX
from shared.settings import WorkplanSettings

if TYPE_CHECKING:  # the broker client loads only when an event is sent (--help stays quick)
    from shared.messaging.publisher import OutgoingMessage
    from shared.messaging.topology import Topology


def publish(
    event_type: Annotated[str, typer.Option("--type", help="e.g. workplan.meeting.held.v1")],
    source: Annotated[str, typer.Option(help="The publishing system's CloudEvents source.")],
    data: Annotated[str | None, typer.Option(help="The event data as JSON.")] = None,
    data_file: Annotated[Path | None, typer.Option(exists=True, dir_okay=False)] = None,
    subject: Annotated[str | None, typer.Option()] = None,
    sequence: Annotated[int | None, typer.Option(min=0)] = None,
    event_id: Annotated[str | None, typer.Option("--id")] = None,
    mode: Annotated[str, typer.Option(help="structured or binary")] = "structured",
    validate: Annotated[bool, typer.Option(help="Check data against the contract.")] = True,
    amqp_url: Annotated[
        str | None,
        typer.Option(
            envvar="WORKPLAN_PUBLISH_AMQP_URL",
            help="Connect as this broker user (e.g. the URL `workplan publishers add` printed); "
            "default: the system's own WORKPLAN_AMQP_URL.",
        ),
    ] = None,
    exchange: Annotated[
        str | None,
        typer.Option(help="Publish to this exchange (a registered system's own); default: events."),
    ] = None,
) -> None:
    """Publish one CloudEvent to the events exchange and wait for the broker's confirm."""
    if mode not in ("structured", "binary"):
        raise typer.BadParameter("structured or binary", param_hint="--mode")
    payload = _load_data(data, data_file)
    if validate:
        try:
            parsed = parse_data(event_type, payload)
        except InvalidEvent as exc:
            raise typer.BadParameter(exc.reason) from exc
        subject = subject or getattr(parsed, "subject", None)
    event = CloudEvent(
        specversion="1.0",
        id=event_id or str(uuid.uuid4()),
        source=source,
        type=event_type,
        subject=subject,
        datacontenttype=JSON_CONTENT_TYPE,
        dataschema=f"{SCHEMA_URI_PREFIX}{event_type}",
        sequence=str(sequence) if sequence is not None else None,
        data=payload,
    )
    from shared.messaging.publisher import PublishFailed  # noqa: PLC0415

    try:
        asyncio.run(
            send(
                event,
                WorkplanSettings(),
                mode="binary" if mode == "binary" else "structured",
                amqp_url=amqp_url,
                exchange=exchange,
            )
        )
    except PublishFailed as exc:
        typer.echo(f"not published: {exc.reason}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"published {event.type} id={event.id} ({mode})")


async def send(
    event: CloudEvent,
    settings: WorkplanSettings,
    *,
    mode: Literal["structured", "binary"],
    amqp_url: str | None = None,
    exchange: str | None = None,
) -> None:
    """Publish as the URL's user (its ``user_id``), with confirms and ``mandatory``."""
    from aio_pika.exceptions import AMQPError  # noqa: PLC0415

    from shared.messaging.publisher import ConfirmingPublisher, PublishFailed  # noqa: PLC0415
    from shared.messaging.topology import Topology  # noqa: PLC0415

    topology = Topology(settings.broker_prefix)
    url = amqp_url or settings.amqp_url.get_secret_value()
    publisher = ConfirmingPublisher(url, timeout=settings.publish_timeout, app_id="workplan-cli")
    try:
        async with asyncio.timeout(settings.publish_timeout):
            await publisher.connect()
    except (TimeoutError, OSError, ValueError, AMQPError) as exc:
        await publisher.close()
        raise PublishFailed(f"cannot connect to the broker as {publisher.user!r}: {exc!r}") from exc
    try:
        await publisher.publish(to_message(event, topology, mode=mode, exchange=exchange))
    finally:
        await publisher.close()


def to_message(
    event: CloudEvent,
    topology: Topology,
    *,
    mode: Literal["structured", "binary"],
    exchange: str | None = None,
) -> OutgoingMessage:
    """The AMQP message of an event in either CloudEvents mode, to the events exchange
    or to ``exchange`` (a registered publisher's own)."""
    from shared.messaging.publisher import OutgoingMessage  # noqa: PLC0415
    from shared.messaging.topology import PARTITION_HEADER  # noqa: PLC0415

    if mode == "structured":  # the subject in a header too: the partitions hash it
        return OutgoingMessage(
            exchange=exchange or topology.events_exchange,
            routing_key=event.type,
            body=encode_structured(event),
            content_type=STRUCTURED_CONTENT_TYPE,
            message_id=event.id,
            type=event.type,
            headers={PARTITION_HEADER: event.subject} if event.subject else {},
        )
    attributes = event.to_json_dict()
    body = json.dumps(attributes.pop("data", None), ensure_ascii=False).encode()
    content_type = attributes.pop("datacontenttype", JSON_CONTENT_TYPE)
    return OutgoingMessage(
        exchange=exchange or topology.events_exchange,
        routing_key=event.type,
        body=body,
        content_type=content_type,
        message_id=event.id,
        type=event.type,
        headers={f"ce-{name}": str(value) for name, value in attributes.items()},
    )


def _load_data(data: str | None, data_file: Path | None) -> Any:
    if (data is None) == (data_file is None):
        raise typer.BadParameter("give exactly one of --data and --data-file")
    text = data if data is not None else data_file.read_text(encoding="utf-8")  # type: ignore[union-attr]
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise typer.BadParameter(f"the data is not valid JSON: {exc}") from exc
