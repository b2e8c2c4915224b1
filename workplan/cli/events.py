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
            send(event, WorkplanSettings(), mode="binary" if mode == "binary" else "structured")
        )
    except PublishFailed as exc:
        typer.echo(f"not published: {exc.reason}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"published {event.type} id={event.id} ({mode})")


async def send(
    event: CloudEvent, settings: WorkplanSettings, *, mode: Literal["structured", "binary"]
) -> None:
    from shared.messaging.publisher import ConfirmingPublisher  # noqa: PLC0415
    from shared.messaging.topology import Topology  # noqa: PLC0415

    topology = Topology(settings.broker_prefix)
    publisher = ConfirmingPublisher(settings.amqp_url.get_secret_value(), app_id="workplan-cli")
    await publisher.connect()
    try:
        await publisher.publish(to_message(event, topology, mode=mode))
    finally:
        await publisher.close()


def to_message(
    event: CloudEvent, topology: Topology, *, mode: Literal["structured", "binary"]
) -> OutgoingMessage:
    """The AMQP message of an event in either CloudEvents mode."""
    from shared.messaging.publisher import OutgoingMessage  # noqa: PLC0415
    from shared.messaging.topology import PARTITION_HEADER  # noqa: PLC0415

    if mode == "structured":  # the subject in a header too: the partitions hash it
        return OutgoingMessage(
            exchange=topology.events_exchange,
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
        exchange=topology.events_exchange,
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
