"""Staff accounts of the console: who signs in, with which roles.

A role is what an organisation grants a person; a scope is what a service checks. The
console mints each request's token with the scopes of the signed-in user's roles, so the
planner, archive and notifier still decide what that user may see and do.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, get_args

from services.console.domain.errors import InvalidAccount

Role = Literal["clerk", "analyst", "cleared", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
Language = Literal["az", "en", "ru"]
LANGUAGES: tuple[Language, ...] = get_args(Language)

ROLE_SCOPES: dict[Role, frozenset[str]] = {
    "clerk": frozenset({"planner:read", "planner:write"}),
    "analyst": frozenset({"archive:read"}),
    "cleared": frozenset({"planner:restricted", "archive:restricted", "notifier:restricted"}),
    "admin": frozenset({"notifier:admin", "archive:admin", "planner:admin"}),
}
"""What each role lets its holder do in the other services."""

EVERYONE_SCOPES = frozenset({"archive:calendar"})
"""Every account keeps its own calendar feeds and downloads hearings it may see as .ics."""

INBOX_SCOPE = "notifier:read"
"""Every account may read its own inbox (the notifier knows it by its recipient id)."""

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")
EMAIL = re.compile(r"^[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]+$")


@dataclass
class Account:
    username: str
    display_name: str
    roles: frozenset[Role]
    email: str | None = None
    language: Language = "az"
    password_hash: str | None = None
    oidc_subject: str | None = None
    recipient_id: uuid.UUID | None = None
    active: bool = True
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    def scopes(self) -> frozenset[str]:
        return scopes_for(self.roles) | ({INBOX_SCOPE} if self.recipient_id else frozenset())

    def has(self, role: Role) -> bool:
        return role in self.roles


def scopes_for(roles: Iterable[Role]) -> frozenset[str]:
    return EVERYONE_SCOPES.union(*(ROLE_SCOPES[role] for role in roles))


def new_account(
    username: str,
    *,
    roles: Iterable[str],
    display_name: str | None = None,
    email: str | None = None,
    language: str = "az",
) -> Account:
    """A valid account, or :class:`InvalidAccount` naming what is wrong."""
    if not USERNAME.match(username):
        raise InvalidAccount(
            f"user name {username!r}: 2-60 lower-case letters, digits, '.', '_' or '-'"
        )
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise InvalidAccount(f"unknown role(s): {', '.join(unknown)}; known: {', '.join(ROLES)}")
    if not roles:
        raise InvalidAccount(f"give at least one role: {', '.join(ROLES)}")
    if email is not None and (len(email) > 254 or not EMAIL.match(email)):
        raise InvalidAccount(f"{email!r} is not an e-mail address")
    if language not in LANGUAGES:
        raise InvalidAccount(f"language {language!r}: one of {', '.join(LANGUAGES)}")
    return Account(
        username=username,
        display_name=(display_name or username).strip()[:200] or username,
        roles=frozenset(role for role in ROLES if role in set(roles)),
        email=email,
        language=language,
    )
