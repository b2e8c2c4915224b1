"""Verbs on accounts: add one, sign in with a password, choose a language."""

from __future__ import annotations

import re
import uuid

from services.console.domain.accounts import LANGUAGES, Account, Language, new_account

__all__ = [
    "Account",
    "add_account",
    "choose_language",
    "link_inbox",
    "sign_in",
    "sign_in_with_oidc",
]
from services.console.domain.errors import InvalidAccount, SignInRefused
from services.console.handlers.ports import Accounts, PasswordHasher, RecipientDirectory

MIN_PASSWORD = 10


async def add_account(
    accounts: Accounts,
    hasher: PasswordHasher,
    username: str,
    *,
    roles: list[str],
    password: str | None,
    display_name: str | None = None,
    email: str | None = None,
    language: str = "az",
) -> Account:
    """A new local account (a password) or one that will sign in through OIDC (none)."""
    account = new_account(
        username, roles=roles, display_name=display_name, email=email, language=language
    )
    if password is not None:
        if len(password) < MIN_PASSWORD:
            raise InvalidAccount(f"the password needs at least {MIN_PASSWORD} characters")
        account.password_hash = hasher.hash(password)
    await accounts.add(account)
    return account


async def sign_in(
    accounts: Accounts, hasher: PasswordHasher, username: str, password: str
) -> Account:
    """The account whose password this is; :class:`SignInRefused` otherwise (no detail)."""
    account = await accounts.by_username(username.strip().lower())
    if account is None or not account.active or account.password_hash is None:
        hasher.hash(password)  # the same work whether the account exists or not
        raise SignInRefused("wrong user name or password")
    if not hasher.verify(account.password_hash, password):
        raise SignInRefused("wrong user name or password")
    if hasher.needs_rehash(account.password_hash):
        await accounts.set_password_hash(account.id, hasher.hash(password))
    return account


async def choose_language(accounts: Accounts, account_id: uuid.UUID, language: str) -> Language:
    if language not in LANGUAGES:
        raise InvalidAccount(f"language {language!r}: one of {', '.join(LANGUAGES)}")
    chosen: Language = language
    await accounts.set_language(account_id, chosen)
    return chosen


async def link_inbox(
    accounts: Accounts, directory: RecipientDirectory, account: Account
) -> Account:
    """Give an account with an e-mail address its notifier recipient (found or created)."""
    if account.recipient_id is not None or account.email is None:
        return account
    recipient_id = await directory.find_or_add(
        account.display_name, account.email, account.language, account.has("cleared")
    )
    await accounts.link_recipient(account.id, recipient_id)
    account.recipient_id = recipient_id
    return account


async def sign_in_with_oidc(
    accounts: Accounts,
    *,
    subject: str,
    email: str | None,
    email_verified: bool,
    name: str | None,
    username: str | None,
    default_roles: list[str],
) -> Account:
    """The account of a person the OpenID provider vouched for.

    1. The account already linked to this provider's subject.
    2. Else an account made for OIDC sign-in (``workplan users add --oidc``: no password,
       not yet linked) with the same, provider-verified e-mail address: linked now.
    3. Else, when default roles are configured, a new account with those roles.
    Otherwise :class:`SignInRefused`: an administrator must add the person first.
    """
    found = await accounts.by_oidc_subject(subject)
    if found is not None:
        if not found.active:
            raise SignInRefused("this account is disabled")
        return found
    if email and email_verified:
        waiting = [
            account
            for account in await accounts.by_email(email)
            if account.active and account.oidc_subject is None and account.password_hash is None
        ]
        if len(waiting) == 1:
            await accounts.set_oidc_subject(waiting[0].id, subject)
            waiting[0].oidc_subject = subject
            return waiting[0]
    if not default_roles:
        raise SignInRefused("no account of this console is set up for you")
    account = new_account(
        await _free_username(accounts, username or (email or "").split("@")[0] or "user"),
        roles=default_roles,
        display_name=name,
        email=email if email_verified else None,
    )
    account.oidc_subject = subject
    await accounts.add(account)
    return account


async def _free_username(accounts: Accounts, wanted: str) -> str:
    base = re.sub(r"[^a-z0-9._-]", "-", wanted.lower()).strip("-._")[:50] or "user"
    base = base if len(base) >= 2 else f"{base}-user"
    candidate, number = base, 1
    while await accounts.by_username(candidate) is not None:
        number += 1
        candidate = f"{base}-{number}"
    return candidate
