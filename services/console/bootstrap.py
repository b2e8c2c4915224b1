"""The console's composition root: the one place that builds and wires its dependencies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from services.console.adapters.accounts_sql import SqlAccounts, SqlSessions
from services.console.adapters.archive_api import ArchiveApi
from services.console.adapters.caught_mail import CaughtMailbox
from services.console.adapters.dead_letters_api import DeadLettersApi
from services.console.adapters.notifier_api import NotifierApi, NotifierDirectory
from services.console.adapters.oidc import OidcClient, OidcLogins
from services.console.adapters.passwords import Argon2Passwords
from services.console.adapters.planner_api import PlannerApi
from services.console.adapters.service_client import ServiceClient
from services.console.settings import ConsoleSettings
from shared.db.engine import create_engine

SERVICE = "console"


@dataclass
class Console:
    settings: ConsoleSettings
    engine: AsyncEngine
    http: httpx.AsyncClient
    accounts: SqlAccounts
    sessions: SqlSessions
    passwords: Argon2Passwords
    planner: PlannerApi
    archive: ArchiveApi
    directory: NotifierDirectory
    notifier: NotifierApi
    dead_letters: DeadLettersApi
    mailbox: CaughtMailbox | None
    oidc: OidcClient | None
    oidc_logins: OidcLogins

    @property
    def session_idle(self) -> timedelta:
        return timedelta(minutes=self.settings.session_idle_minutes)

    async def close(self) -> None:
        await self.http.aclose()
        await self.engine.dispose()


def bootstrap(
    settings: ConsoleSettings, transport: httpx.AsyncBaseTransport | None = None
) -> Console:
    """``transport`` lets tests route the service calls through ASGI apps in-process."""
    engine = create_engine(
        settings.database_url.get_secret_value(),
        application_name=SERVICE,
        pool_size=min(settings.database_pool_size, 5),
    )
    http = httpx.AsyncClient(
        timeout=httpx.Timeout(settings.service_timeout),
        transport=transport,
        follow_redirects=False,
        headers={"User-Agent": "workplan-console"},
    )
    ttl = timedelta(seconds=settings.service_token_ttl)

    def client(name: str, url: str) -> ServiceClient:
        return ServiceClient(name=name, base_url=url, http=http, settings=settings, token_ttl=ttl)

    planner = client("planner", settings.planner_url)
    archive = client("archive", settings.archive_url)
    notifier = client("notifier", settings.notifier_url)
    return Console(
        settings=settings,
        engine=engine,
        http=http,
        accounts=SqlAccounts(engine),
        sessions=SqlSessions(engine),
        passwords=Argon2Passwords(),
        planner=PlannerApi(planner),
        archive=ArchiveApi(archive),
        directory=NotifierDirectory(notifier),
        notifier=NotifierApi(notifier),
        dead_letters=DeadLettersApi({"planner": planner, "archive": archive, "notifier": notifier}),
        mailbox=CaughtMailbox(settings.mail_catcher_dir) if settings.mail_catcher_dir else None,
        oidc=_oidc(settings, http),
        oidc_logins=OidcLogins(engine),
    )


def _oidc(settings: ConsoleSettings, http: httpx.AsyncClient) -> OidcClient | None:
    """OpenID Connect sign-in, when an issuer is configured."""
    if not (settings.oidc_discovery_url and settings.oidc_client_id):
        return None
    secret = settings.oidc_client_secret
    return OidcClient(
        http,
        settings.oidc_discovery_url,
        settings.oidc_client_id,
        secret.get_secret_value() if secret else None,
    )
