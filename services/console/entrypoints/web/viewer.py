"""Who is looking at a page: the signed-in account, its browser session, its language."""

from __future__ import annotations

from dataclasses import dataclass

from services.console.adapters.service_client import Caller
from services.console.domain.accounts import Account, scopes_for
from services.console.domain.sessions import BrowserSession
from services.console.entrypoints.web.i18n import Translator


@dataclass(frozen=True)
class Viewer:
    account: Account
    session: BrowserSession
    translator: Translator
    unread: int | None = None
    """Unread notices in the inbox (``None``: no inbox, or the notifier did not answer)."""

    @property
    def caller(self) -> Caller:
        """For the planner and archive: the user name and the scopes of the user's roles."""
        return Caller(subject=self.account.username, scopes=scopes_for(self.account.roles))

    @property
    def inbox_caller(self) -> Caller | None:
        """For the notifier: its recipient id (the inbox's owner), when the account has one."""
        if self.account.recipient_id is None:
            return None
        return Caller(subject=str(self.account.recipient_id), scopes=self.account.scopes())


class SignInNeeded(Exception):
    """No valid session: the browser goes to sign-in, then back to ``next_path``."""

    def __init__(self, next_path: str, *, expired: bool = False) -> None:
        super().__init__(next_path)
        self.next_path = next_path
        self.expired = expired


class NotAllowed(Exception):
    """The viewer's roles do not include what the page needs."""
