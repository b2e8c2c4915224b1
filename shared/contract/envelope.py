"""The CloudEvents 1.0 envelope, with the ``sequence`` and ``traceparent`` extensions."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from shared.contract.registry import EventData

JSON_CONTENT_TYPE = "application/json"
SCHEMA_URI_PREFIX = "urn:workplan:schema:"


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 event. Unknown extension attributes are kept."""

    model_config = ConfigDict(extra="allow", frozen=True)

    specversion: Literal["1.0"]
    id: str = Field(min_length=1, max_length=256)
    source: str = Field(min_length=1, max_length=1024)
    type: str = Field(min_length=1, max_length=256, pattern=r"^[A-Za-z0-9._:-]+$")
    subject: str | None = Field(default=None, min_length=1, max_length=512)
    time: AwareDatetime | None = None
    datacontenttype: str | None = None
    dataschema: str | None = None
    sequence: str | None = Field(
        default=None,
        pattern=r"^[0-9]{1,18}$",
        description="Per-subject version (CloudEvents sequence extension), a decimal string.",
    )
    traceparent: str | None = Field(default=None, max_length=256)
    data: Any = None

    @field_validator("sequence", mode="before")
    @classmethod
    def _sequence_as_string(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value

    @property
    def sequence_number(self) -> int | None:
        return int(self.sequence) if self.sequence is not None else None

    @property
    def key(self) -> tuple[str, str]:
        """``source`` + ``id``: what identifies an event; a repeat is a duplicate."""
        return (self.source, self.id)

    def to_json_dict(self) -> dict[str, Any]:
        """The structured-mode JSON object (``application/cloudevents+json``)."""
        return self.model_dump(mode="json", exclude_none=True)


def new_event(
    data: EventData,
    *,
    source: str,
    sequence: int | None = None,
    time: datetime | None = None,
    traceparent: str | None = None,
    event_id: str | None = None,
) -> CloudEvent:
    """Wrap a payload in an envelope: type, subject and dataschema come from the payload."""
    return CloudEvent(
        specversion="1.0",
        id=event_id or str(uuid.uuid4()),
        source=source,
        type=data.event_type,
        subject=data.subject,
        time=time or datetime.now(UTC),
        datacontenttype=JSON_CONTENT_TYPE,
        dataschema=f"{SCHEMA_URI_PREFIX}{data.event_type}",
        sequence=str(sequence) if sequence is not None else None,
        traceparent=traceparent,
        data=data.model_dump(mode="json"),
    )
