"""Documents generated from the contract: JSON Schemas of payloads, typed envelopes for AsyncAPI."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from pydantic import BaseModel, create_model

from shared.contract.envelope import CloudEvent
from shared.contract.registry import EVENT_TYPES, EventData


@cache
def typed_envelope(model: type[EventData]) -> type[BaseModel]:
    """A structured-mode CloudEvent whose ``data`` is ``model`` (for AsyncAPI documents)."""
    return create_model(
        f"{model.__name__}Event",
        __base__=CloudEvent,
        __doc__=f"CloudEvent `{model.event_type}` (structured mode). {model.__doc__ or ''}".strip(),
        data=(model, ...),
    )


def data_schema(event_type: str) -> dict[str, Any]:
    model = EVENT_TYPES[event_type]
    schema = model.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:workplan:schema:{event_type}",
        "title": event_type,
        **{key: value for key, value in schema.items() if key != "title"},
    }


def render_data_schemas() -> dict[str, str]:
    """File name → JSON text, one per event type (``dataschema`` of that type)."""
    return {
        f"{event_type}.json": json.dumps(data_schema(event_type), indent=2, ensure_ascii=False)
        + "\n"
        for event_type in sorted(EVENT_TYPES)
    }
