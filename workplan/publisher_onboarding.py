"""Onboarding an external system that publishes events: its own RabbitMQ user, an exchange
of its own bound into the events exchange for the types it may publish, and write
permission on that exchange only. Done through the broker's management HTTP API.

What the broker then enforces by itself: the user can publish nowhere else (a publish to
another exchange is refused with ACCESS_REFUSED), a message's ``user_id`` must be that
user (else PRECONDITION_FAILED), and a type it may not publish is unroutable from its
exchange. The registration (source, user, types) is written on the exchange as arguments;
every service reads it from there (:mod:`shared.messaging.publisher_registry`).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from fnmatch import fnmatchcase
from urllib.parse import quote, urlsplit, urlunsplit

from shared.contract.registry import EVENT_TYPES
from shared.messaging.broker_api import BrokerApi, BrokerApiError
from shared.messaging.publisher_registry import (
    Registration,
    publisher_exchange,
    read_registrations,
    topic_matches,
)
from shared.messaging.topology import Topology
from shared.settings import PLANNER_SOURCE

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
# RFC 8141: "urn:", a namespace identifier of 2-32 letters, digits and inner hyphens,
# ":", and a namespace-specific string of URI path characters
URN = re.compile(
    r"^urn:[a-z0-9][a-z0-9-]{0,30}[a-z0-9]:[a-z0-9()+,\-.:=@;$_!*'%/~&]+$", re.IGNORECASE
)
PATTERN_WORD = re.compile(r"^(?:[a-z0-9_-]+|\*|#)$")


class OnboardingError(Exception):
    """Input the broker would not make sense of, or a name or source already taken; the
    broker is left as it was."""

    def __init__(self, reason: str, *, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


@dataclass(frozen=True)
class ConnectionDetails:
    registration: Registration
    amqp_url: str
    password: str

    @property
    def publishable_types(self) -> list[str]:
        return types_matching(self.registration.types)


def check_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise OnboardingError(
            f"{name!r} is not a publisher name: use 1-63 lower-case letters, digits, '-' "
            "or '_', starting with a letter or digit",
            field="NAME",
        )
    return name


def check_source(source: str, *, reserved: set[str]) -> str:
    if not URN.fullmatch(source):
        raise OnboardingError(
            f"{source!r} is not a URN: a source looks like urn:gov:az:mfa:meetings "
            "(RFC 8141: 'urn:', a namespace of 2-32 letters, digits or '-', ':', the rest)",
            field="--source",
        )
    if source in reserved or source.lower().startswith("urn:workplan:"):
        raise OnboardingError(
            f"{source!r} is the system's own source (the planner's, reserved urn:workplan:…, or "
            "one that WORKPLAN_PUBLISHERS lets publish as the system's own user), not an "
            "external one",
            field="--source",
        )
    return source


def check_types(patterns: list[str]) -> tuple[str, ...]:
    """Topic patterns that each match at least one type of the contract."""
    if not patterns:
        raise OnboardingError("give at least one type pattern", field="--types")
    checked: list[str] = []
    for pattern in patterns:
        words = pattern.split(".")
        if not all(PATTERN_WORD.fullmatch(word) for word in words):
            raise OnboardingError(
                f"{pattern!r} is not a type pattern: words of a-z, 0-9, '_' or '-' separated "
                "by dots; '*' stands for one word, '#' for any number of words",
                field="--types",
            )
        if not types_matching([pattern]):
            raise OnboardingError(_unknown(pattern), field="--types")
        if pattern not in checked:
            checked.append(pattern)
    return tuple(checked)


def types_matching(patterns: tuple[str, ...] | list[str]) -> list[str]:
    return [t for t in EVENT_TYPES if any(topic_matches(p, t) for p in patterns)]


def _unknown(pattern: str) -> str:
    reason = f"{pattern!r} matches no event type of the contract"
    shell_style = [t for t in EVENT_TYPES if fnmatchcase(t, pattern)]
    if shell_style:
        hint = re.sub(r"\*$", "#", pattern)
        return f"{reason} ('*' stands for exactly one word: did you mean {hint!r}?)"
    return f"{reason}; known types: {', '.join(EVENT_TYPES)}"


def connection_url(amqp_url: str, user: str, password: str) -> str:
    """``amqp_url`` (the broker the system uses) with the publisher's own credentials."""
    parts = urlsplit(amqp_url)
    host = parts.hostname or "localhost"
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


class PublisherOnboarding:
    def __init__(
        self, api: BrokerApi, topology: Topology, amqp_url: str, *, reserved: set[str]
    ) -> None:
        self._api = api
        self._topology = topology
        self._amqp_url = amqp_url
        self._reserved = reserved | {PLANNER_SOURCE}

    async def add(
        self, name: str, source: str, types: list[str], password: str | None = None
    ) -> ConnectionDetails:
        """Create the user, its exchange, bindings and permission; undo all on failure."""
        registration = Registration(
            name=check_name(name),
            source=check_source(source, reserved=self._reserved),
            user=name,
            types=check_types(types),
            exchange=publisher_exchange(self._topology.prefix, name),
        )
        if password is not None and len(password) < 12:
            raise OnboardingError("the password needs at least 12 characters", field="--password")
        password = password or secrets.token_urlsafe(24)
        await self._check_free(registration)
        created_exchange = created_user = False
        try:
            if await self._api.exchange(self._topology.events_exchange) is None:
                # as the services declare it; an existing one is left exactly as it is
                await self._api.put_exchange(self._topology.events_exchange)
            await self._api.put_exchange(registration.exchange, registration.arguments())
            created_exchange = True
            for pattern in registration.types:
                await self._api.bind_exchange(
                    registration.exchange, self._topology.events_exchange, pattern
                )
            await self._api.put_user(registration.user, password)
            created_user = True
            await self._api.set_permissions(
                registration.user,
                configure="^$",
                write=f"^{re.escape(registration.exchange)}$",
                read="^$",
            )
        except BaseException:
            if created_user:
                await self._api.delete_user(registration.user)
            if created_exchange:
                await self._api.delete_exchange(registration.exchange)
            raise
        return ConnectionDetails(
            registration, connection_url(self._amqp_url, registration.user, password), password
        )

    async def remove(self, name: str) -> Registration:
        """Delete the user (its connections close at once) and its exchange and bindings."""
        registration = await self.find(check_name(name))
        if registration is None:
            raise OnboardingError(f"no publisher is registered as {name!r}", field="NAME")
        await self._api.delete_user(registration.user)
        await self._api.delete_exchange(registration.exchange)
        return registration

    async def list(self) -> list[Registration]:
        return await read_registrations(self._api, self._topology.prefix)

    async def find(self, name: str) -> Registration | None:
        return next((r for r in await self.list() if r.name == name), None)

    async def _check_free(self, registration: Registration) -> None:
        if await self._api.exchange(registration.exchange) is not None:
            raise OnboardingError(
                f"the name {registration.name!r} is taken: exchange {registration.exchange!r} "
                "exists (`workplan publishers remove` it first)",
                field="NAME",
            )
        if await self._api.user_exists(registration.user):
            raise OnboardingError(
                f"the name {registration.name!r} is taken: the broker has a user of that name",
                field="NAME",
            )
        for other in await self.list():
            if other.source == registration.source:
                raise OnboardingError(
                    f"source {registration.source!r} is registered already, to {other.name!r}",
                    field="--source",
                )


__all__ = ["BrokerApiError", "ConnectionDetails", "OnboardingError", "PublisherOnboarding"]
