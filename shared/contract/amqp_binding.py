"""CloudEvents over AMQP 0-9-1: structured mode (what we publish) and binary mode (``ce-`` headers).

Structured: content type ``application/cloudevents+json``, the body is the whole event.
Binary: each attribute is a header ``ce-<name>`` (``cloudEvents:``/``cloudEvents_`` also
accepted, as the AMQP binding names them), the content type is ``datacontenttype`` and the
body is ``data``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from shared.contract.envelope import JSON_CONTENT_TYPE, CloudEvent
from shared.contract.errors import InvalidEvent
from shared.contract.registry import describe_validation_error

STRUCTURED_CONTENT_TYPE = "application/cloudevents+json"
MAX_BODY_BYTES = 1_048_576
_BINARY_PREFIXES = ("ce-", "ce_", "cloudevents:", "cloudevents_")


def encode_structured(event: CloudEvent) -> bytes:
    """The body of a structured-mode message (send with :data:`STRUCTURED_CONTENT_TYPE`)."""
    return json.dumps(event.to_json_dict(), ensure_ascii=False, separators=(",", ":")).encode()


def decode_message(
    body: bytes, headers: Mapping[str, Any] | None, content_type: str | None
) -> CloudEvent:
    """Read a CloudEvent from an AMQP message in either mode, or raise :class:`InvalidEvent`."""
    if len(body) > MAX_BODY_BYTES:
        raise InvalidEvent(f"message body of {len(body)} bytes exceeds {MAX_BODY_BYTES}")
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    attributes = _binary_attributes(headers or {})
    if media_type.startswith("application/cloudevents"):
        return _structured(body)
    if attributes:
        attributes.setdefault("datacontenttype", content_type or JSON_CONTENT_TYPE)
        attributes["data"] = _binary_data(body, attributes["datacontenttype"])
        return _validate(attributes, mode="binary")
    raise InvalidEvent(
        "not a CloudEvent: the content type is not application/cloudevents+json "
        f"(got {content_type!r}) and there are no ce- headers",
        code="not_cloudevent",
    )


def _structured(body: bytes) -> CloudEvent:
    """A structured-mode event: pydantic reads the JSON and the envelope in one pass (no
    Python ``json`` objects first: a third of the decoding's CPU per message); a body it
    refuses, or one with ``data_base64``, is read again the standard library's way, so
    what is accepted and the reason given for a refusal stay as they were."""
    try:
        event = CloudEvent.model_validate_json(body)
    except ValidationError:
        return _validate(_structured_object(body), mode="structured")
    if event.model_extra and "data_base64" in event.model_extra:
        return _validate(_structured_object(body), mode="structured")
    return event


def _structured_object(body: bytes) -> dict[str, Any]:
    try:
        obj = json.loads(body)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, digit limits, nesting
        raise InvalidEvent(f"structured CloudEvent body is not valid JSON: {exc}") from exc
    if not isinstance(obj, dict):
        raise InvalidEvent("structured CloudEvent body must be a JSON object")
    if "data_base64" in obj:
        raise InvalidEvent("data_base64 is not accepted: event data must be JSON")
    return obj


def _binary_attributes(headers: Mapping[str, Any]) -> dict[str, Any]:
    attributes: dict[str, Any] = {}
    for key, value in headers.items():
        lowered = key.lower()
        for prefix in _BINARY_PREFIXES:
            if lowered.startswith(prefix):
                attributes[lowered[len(prefix) :]] = _header_value(value)
                break
    return attributes


def _header_value(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        try:
            return bytes(value).decode()
        except UnicodeDecodeError as exc:
            raise InvalidEvent(f"a ce- header is not UTF-8: {exc}") from exc
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _binary_data(body: bytes, datacontenttype: object) -> Any:
    if not isinstance(datacontenttype, str):
        raise InvalidEvent(f"datacontenttype must be text, got {type(datacontenttype).__name__}")
    media_type = datacontenttype.split(";", 1)[0].strip().lower()
    if not (media_type == JSON_CONTENT_TYPE or media_type.endswith("+json")):
        raise InvalidEvent(
            f"datacontenttype {datacontenttype!r} is not accepted: event data must be JSON"
        )
    if not body:
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, digit limits, nesting
        raise InvalidEvent(f"binary CloudEvent body is not valid JSON: {exc}") from exc


def _validate(obj: dict[str, Any], *, mode: str) -> CloudEvent:
    try:
        return CloudEvent.model_validate(obj)
    except ValidationError as exc:
        raise InvalidEvent(
            f"invalid {mode} CloudEvent envelope: {describe_validation_error(exc)}",
            code="invalid_envelope",
        ) from exc
