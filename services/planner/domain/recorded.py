"""An event an aggregate recorded, with the per-subject version it brings the aggregate to."""

from __future__ import annotations

from dataclasses import dataclass

from shared.contract import EventData


@dataclass(frozen=True)
class RecordedEvent:
    data: EventData
    sequence: int


class RecordsEvents:
    """Mixin of aggregates: ``version`` is the subject's sequence; ``events`` await the outbox."""

    version: int
    events: list[RecordedEvent]

    def _record(self, data: EventData) -> None:
        self.version += 1
        self.events.append(RecordedEvent(data, self.version))
