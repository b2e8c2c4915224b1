"""Who may publish what: each registered ``source`` with the event types it may publish."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase

from shared.contract import CloudEvent, InvalidEvent
from shared.settings import PLANNER_SOURCE, WorkplanSettings

PLANNER_TYPES = ("workplan.item.*", "workplan.hearing.*", "workplan.meeting.*")
"""What the planner itself publishes."""


class RefusedPublisher(InvalidEvent):
    """The event's source is not registered, or may not publish this type."""


@dataclass(frozen=True)
class PublisherPolicy:
    allowed: Mapping[str, tuple[str, ...]]

    @classmethod
    def from_config(
        cls, configured: Mapping[str, Iterable[str]], *own: tuple[str, Iterable[str]]
    ) -> PublisherPolicy:
        """The configured external publishers plus the system's own sources."""
        allowed = {source: tuple(patterns) for source, patterns in configured.items()}
        for source, patterns in own:
            allowed[source] = (*allowed.get(source, ()), *patterns)
        return cls(allowed)

    def check(self, event: CloudEvent) -> None:
        """Raise :class:`RefusedPublisher` unless ``event.source`` may publish ``event.type``."""
        patterns = self.allowed.get(event.source)
        if patterns is None:
            raise RefusedPublisher(
                f"source {event.source!r} is not a registered publisher",
                code="unregistered_source",
            )
        if not any(fnmatchcase(event.type, pattern) for pattern in patterns):
            raise RefusedPublisher(
                f"source {event.source!r} may not publish {event.type!r} "
                f"(allowed: {', '.join(patterns) or 'nothing'})",
                code="type_not_allowed",
            )


def configured_policy(settings: WorkplanSettings) -> PublisherPolicy:
    """The planner's own types plus the external publishers registered in settings."""
    return PublisherPolicy.from_config(settings.publishers, (PLANNER_SOURCE, PLANNER_TYPES))
