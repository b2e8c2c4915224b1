"""Verbs on accounts: add one, sign in with a password, choose a language."""

from __future__ import annotations

import uuid

from services.console.domain.accounts import LANGUAGES, Account, Language, new_account

__all__ = ["Account", "add_account", "choose_language", "link_inbox", "sign_in"]
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
        account.display_name, account.email, account.language
    )
    await accounts.link_recipient(account.id, recipient_id)
    account.recipient_id = recipient_id
    return account
