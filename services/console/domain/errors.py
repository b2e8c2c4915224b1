"""What the console refuses, in words a person can act on."""

from __future__ import annotations


class ConsoleError(Exception):
    """Base of the console's own refusals."""


class InvalidAccount(ConsoleError):
    """An account's name, roles, e-mail or language is not acceptable."""


class AccountExists(ConsoleError):
    """An account with that user name exists already."""


class SignInRefused(ConsoleError):
    """Wrong user name or password, or a disabled account (never says which)."""
