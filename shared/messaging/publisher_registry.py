"""The external publishers registered on the broker itself.

An external system registered with ``workplan publishers add`` has its own RabbitMQ user
and its own topic exchange, ``<prefix>.publishers.<name>``, bound into the events exchange
once per type pattern it may publish. The registration is written on that exchange as
arguments (``x-workplan-source``, ``x-workplan-user``, ``x-workplan-types``): the broker
holds the registration beside what enforces it, removing the exchange removes both, and
every service reads it with the management API (a user tagged ``management`` is enough).

Type patterns use the AMQP topic syntax of the bindings they become: words separated by
dots, ``*`` is exactly one word, ``#`` is zero or more words (``workplan.meeting.#``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.messaging.broker_api import BrokerApi

SOURCE_ARGUMENT = "x-workplan-source"
USER_ARGUMENT = "x-workplan-user"
TYPES_ARGUMENT = "x-workplan-types"


def publishers_exchange_prefix(prefix: str) -> str:
    return f"{prefix}.publishers."


def publisher_exchange(prefix: str, name: str) -> str:
    """The exchange a registered publisher writes to."""
    return f"{publishers_exchange_prefix(prefix)}{name}"


@dataclass(frozen=True)
class Registration:
    name: str
    source: str
    user: str
    types: tuple[str, ...]
    exchange: str

    def arguments(self) -> dict[str, object]:
        return {
            SOURCE_ARGUMENT: self.source,
            USER_ARGUMENT: self.user,
            TYPES_ARGUMENT: list(self.types),
        }


def registration_of(exchange: dict[str, object], prefix: str) -> Registration | None:
    """The registration an exchange of the management API's listing carries, if any."""
    name = exchange.get("name")
    arguments = exchange.get("arguments")
    start = publishers_exchange_prefix(prefix)
    if not isinstance(name, str) or not name.startswith(start) or not isinstance(arguments, dict):
        return None
    source, user, types = (
        arguments.get(SOURCE_ARGUMENT),
        arguments.get(USER_ARGUMENT),
        arguments.get(TYPES_ARGUMENT),
    )
    if not isinstance(source, str) or not isinstance(user, str) or not isinstance(types, list):
        return None
    return Registration(
        name=name.removeprefix(start),
        source=source,
        user=user,
        types=tuple(str(pattern) for pattern in types),
        exchange=name,
    )


async def read_registrations(api: BrokerApi, prefix: str) -> list[Registration]:
    """Every publisher registered on the broker under ``prefix``, by name."""
    exchanges = await api.exchanges(f"^{re.escape(publishers_exchange_prefix(prefix))}")
    found = (registration_of(exchange, prefix) for exchange in exchanges)
    return sorted((r for r in found if r is not None), key=lambda r: r.name)


def topic_matches(pattern: str, routing_key: str) -> bool:
    """Whether a topic binding key ``pattern`` matches ``routing_key``, as RabbitMQ decides."""
    return _words_match(tuple(pattern.split(".")), tuple(routing_key.split(".")))


def _words_match(pattern: tuple[str, ...], words: tuple[str, ...]) -> bool:
    if not pattern:
        return not words
    head, rest = pattern[0], pattern[1:]
    if head == "#":
        return any(_words_match(rest, words[skip:]) for skip in range(len(words) + 1))
    if not words:
        return False
    return head in ("*", words[0]) and _words_match(rest, words[1:])
