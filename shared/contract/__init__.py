"""The public event contract: CloudEvents 1.0 envelope and one pydantic model per event type."""

from shared.contract.envelope import CloudEvent, new_event
from shared.contract.errors import InvalidEvent
from shared.contract.registry import EVENT_TYPES, EventData, parse_data

__all__ = ["EVENT_TYPES", "CloudEvent", "EventData", "InvalidEvent", "new_event", "parse_data"]
