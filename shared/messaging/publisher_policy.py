"""Who may publish what: each registered ``source``, the broker user it publishes as, and
the event types it may publish.

Three kinds of entries, one rule: an event is accepted only when its ``source`` is
registered, the message's AMQP ``user_id`` (which RabbitMQ checks against the connection's
user) is the user registered for that source, and the type matches one of its patterns.

- the planner's own source, published as the planner's broker user;
- ``WORKPLAN_PUBLISHERS`` (settings): sources that publish with the system's own broker
  user (development, tests, an in-house bridge); shell-style patterns;
- publishers registered on the broker (``workplan publishers add``): each with its own
  user; topic patterns (:mod:`shared.messaging.publisher_registry`). They are read through
  the management API when an event would otherwise be refused, so a publisher added while
  the services run is accepted from its first event on, with no restart.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase

from shared.contract import CloudEvent, InvalidEvent
from shared.messaging.broker_api import AmqpAccount, BrokerApi, BrokerApiError
from shared.messaging.publisher_registry import Registration, read_registrations, topic_matches
from shared.messaging.received import ReceivedMessage
from shared.settings import PLANNER_SOURCE, WorkplanSettings

log = logging.getLogger(__name__)

PLANNER_TYPES = ("workplan.item.*", "workplan.hearing.*", "workplan.meeting.*")
"""What the planner itself publishes."""

_MEMO = 10_000

ORIGINAL_USER_HEADER = "x-workplan-original-user-id"
"""The broker user that first sent a dead-lettered message, kept for its replay."""


class RefusedPublisher(InvalidEvent):
    """The event's source is not registered, was sent by another user, or may not publish
    this type."""


@dataclass(frozen=True)
class Publisher:
    source: str
    user: str
    patterns: tuple[str, ...]
    topic: bool = False
    """Patterns in AMQP topic syntax (registered on the broker), else shell-style."""

    def allows(self, event_type: str) -> bool:
        if self.topic:
            return any(topic_matches(pattern, event_type) for pattern in self.patterns)
        return any(fnmatchcase(event_type, pattern) for pattern in self.patterns)


RegistryReader = Callable[[], Awaitable[list[Registration]]]


class PublisherPolicy:
    def __init__(
        self,
        configured: Mapping[str, Publisher],
        *,
        registry: RegistryReader | None = None,
        min_read_interval: float = 1.0,
        replayers: Iterable[str] = (),
    ) -> None:
        self._replayers = frozenset(replayers)
        """The system's own broker users: they alone may replay another user's dead letters."""
        self._configured = dict(configured)
        self._publishers = dict(configured)
        self._registry = registry
        self._min_interval = min_read_interval
        self._read_at = float("-inf")
        """When the registry read that the current entries come from started."""
        self._last_start = float("-inf")
        self._reading: asyncio.Task[None] | None = None
        self._registry_problem: str | None = None
        self._accepted: set[tuple[str, str, str | None]] = set()

    @classmethod
    def from_config(
        cls,
        configured: Mapping[str, Iterable[str]],
        *own: tuple[str, Iterable[str]],
        user: str,
        registry: RegistryReader | None = None,
        min_read_interval: float = 1.0,
        replayers: Iterable[str] = (),
    ) -> PublisherPolicy:
        """The configured sources plus the system's own, all publishing as ``user``; and
        the broker's ``registry``, if given. ``user`` and ``replayers`` may replay."""
        patterns = {source: tuple(found) for source, found in configured.items()}
        for source, extra in own:
            patterns[source] = (*patterns.get(source, ()), *extra)
        return cls(
            {source: Publisher(source, user, found) for source, found in patterns.items()},
            registry=registry,
            min_read_interval=min_read_interval,
            replayers={user, *replayers},
        )

    def sender_of(self, message: ReceivedMessage) -> str | None:
        """The broker user that sent ``message`` (see :meth:`sender`)."""
        return self.sender(message.user_id, message.headers)

    def sender(self, user_id: str | None, headers: Mapping[str, object] | None) -> str | None:
        """The broker user that sent a message: its ``user_id``; for a dead letter replayed
        by the system's own user, the user that first sent it."""
        if user_id is None or user_id not in self._replayers:
            return user_id
        if not headers or ORIGINAL_USER_HEADER not in headers:
            return user_id
        original = headers[ORIGINAL_USER_HEADER]
        if isinstance(original, bytes):
            original = original.decode(errors="replace")
        return original if isinstance(original, str) and original else None

    def publisher(self, source: str) -> Publisher | None:
        return self._publishers.get(source)

    def check(self, event: CloudEvent, user_id: str | None) -> None:
        """Raise :class:`RefusedPublisher` unless ``user_id`` may publish ``event.type`` as
        ``event.source``. Decides with what is known now; see :meth:`check_fresh`."""
        key = (event.source, event.type, user_id)
        if key in self._accepted:
            return
        publisher = self._publishers.get(event.source)
        if publisher is None:
            unread = f" ({self._registry_problem})" if self._registry_problem else ""
            raise RefusedPublisher(
                f"source {event.source!r} is not a registered publisher{unread}",
                code="unregistered_source",
            )
        if not user_id:
            raise RefusedPublisher(
                f"the message carries no user_id; {event.source!r} publishes as "
                f"broker user {publisher.user!r}",
                code="missing_user_id",
            )
        if user_id != publisher.user:
            raise RefusedPublisher(
                f"published by broker user {user_id!r}, but source {event.source!r} is "
                f"registered to user {publisher.user!r}",
                code="wrong_publisher",
            )
        if not publisher.allows(event.type):
            raise RefusedPublisher(
                f"source {event.source!r} may not publish {event.type!r} "
                f"(allowed: {', '.join(publisher.patterns) or 'nothing'})",
                code="type_not_allowed",
            )
        if len(self._accepted) < _MEMO:
            self._accepted.add(key)

    async def check_fresh(self, event: CloudEvent, user_id: str | None) -> None:
        """:meth:`check`; a refusal is decided again after reading the broker's registry
        (once it was read after this call began), so a newly added publisher is seen."""
        asked = time.monotonic()
        try:
            self.check(event, user_id)
        except RefusedPublisher:
            if self._registry is None:
                raise
            await self._read_after(asked)
            self.check(event, user_id)

    async def _read_after(self, moment: float) -> None:
        while self._read_at < moment:
            if self._reading is None:
                self._reading = asyncio.create_task(self._read())
            reading = self._reading
            await asyncio.shield(reading)
            if self._registry_problem is not None:
                return  # unreadable now: decide with what is known (the refusal says why)

    async def _read(self) -> None:
        assert self._registry is not None
        try:
            wait = self._last_start + self._min_interval - time.monotonic()
            if wait > 0:  # a flood of refused events reads the registry at most this often
                await asyncio.sleep(wait)
            started = self._last_start = time.monotonic()
            try:
                registrations = await self._registry()
            except Exception as exc:  # any failure: decide with what is known
                reason = exc.reason if isinstance(exc, BrokerApiError) else repr(exc)
                self._registry_problem = f"the publisher registry could not be read: {reason}"
                log.warning("publisher registry unreadable", extra={"error": reason})
                return
            self._registry_problem = None
            self._replace(registrations)
            self._read_at = started
        finally:
            self._reading = None

    def _replace(self, registrations: list[Registration]) -> None:
        publishers = dict(self._configured)
        for registration in registrations:
            if registration.source in self._configured:
                continue  # the system's own sources and settings are not taken over
            publishers[registration.source] = Publisher(
                registration.source, registration.user, registration.types, topic=True
            )
        self._publishers = publishers
        self._accepted = set()


def configured_policy(settings: WorkplanSettings) -> PublisherPolicy:
    """The planner's own types, the publishers of settings (as the system's own broker
    user), and those registered on the broker (read through its management API)."""
    amqp_url = settings.amqp_url.get_secret_value()
    own_user = settings.planner_broker_user or AmqpAccount.of(amqp_url).user
    registry: RegistryReader | None = None
    if settings.broker_api_enabled:
        api_url = settings.broker_api_url.get_secret_value() if settings.broker_api_url else None

        async def read() -> list[Registration]:
            async with BrokerApi.for_amqp(api_url, amqp_url, timeout=5.0) as api:
                return await read_registrations(api, settings.broker_prefix)

        registry = read
    return PublisherPolicy.from_config(
        settings.publishers,
        (PLANNER_SOURCE, PLANNER_TYPES),
        user=own_user,
        registry=registry,
        min_read_interval=settings.publishers_read_interval,
        replayers={AmqpAccount.of(amqp_url).user},  # `workplan deadletters replay` connects so
    )
