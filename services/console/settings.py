"""The console's settings: where it listens, where the other services are, cookies, OIDC."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr

from shared.settings import WorkplanSettings


class ConsoleSettings(WorkplanSettings):
    console_host: str = "127.0.0.1"
    console_port: int = Field(default=8000, ge=1, le=65535)
    planner_url: str = Field(default="http://127.0.0.1:8001", description="Planner API base URL.")
    archive_url: str = Field(default="http://127.0.0.1:8002", description="Archive API base URL.")
    notifier_url: str = Field(default="http://127.0.0.1:8003", description="Notifier API base URL.")
    service_timeout: float = Field(
        default=5.0, gt=0, description="Seconds to wait for another service's answer."
    )
    service_token_ttl: int = Field(
        default=60, ge=5, le=3600, description="Seconds a per-request service token is valid."
    )
    cookie_secure: bool = Field(
        default=True,
        description="Send the session cookie only over HTTPS; false only for plain-http localhost.",
    )
    session_idle_minutes: float = Field(
        default=480, gt=0, description="A browser session ends after this long without a request."
    )
    node_modules: Path | None = Field(
        default=None,
        description="Folder of the npm packages the console serves (govuk-frontend, htmx); "
        "default: node_modules beside the source tree (`npm ci` in scripts/bootstrap).",
    )
    mail_catcher_dir: Path | None = Field(
        default=None,
        description="The local mail catcher's folder (.eml files): administrators read the "
        "caught mail in the console; `workplan up` sets it when it runs the catcher.",
    )
    unread_poll_seconds: int = Field(
        default=30, ge=5, le=3600, description="How often the header's unread count is renewed."
    )
    default_timezone: str = Field(
        default="Asia/Baku",
        description="Times that belong to no session (e.g. when a feed was made) are shown "
        "in the reader's notifier time zone, else in this one.",
    )
    default_language: str = Field(default="az", pattern=r"^(az|en|ru)$")
    oidc_client_id: str | None = Field(default=None, description="OIDC client of the console.")
    oidc_client_secret: SecretStr | None = None
    oidc_discovery_url: str | None = Field(
        default=None,
        description="The issuer's /.well-known/openid-configuration; enables OIDC sign-in.",
    )
    oidc_default_roles: list[str] = Field(
        default_factory=list,
        description="Roles of an account created at its first OIDC sign-in (none: refused).",
    )
