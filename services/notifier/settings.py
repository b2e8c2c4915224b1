"""The notifier's settings: the shared ones plus mail, webhooks, delivery and digest tuning."""

from __future__ import annotations

from pydantic import Field, SecretStr

from shared.settings import WorkplanSettings

STANDARD_WEBHOOKS_SCHEDULE = (0.0, 5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)
"""Delays before attempts 1..8 as Standard Webhooks (Svix) retries: ~27.6 hours in all."""
RETRY_SCHEDULE = (*STANDARD_WEBHOOKS_SCHEDULE, 86400.0, 86400.0)
"""Then two daily attempts, so a receiver or mail server may be down about three days."""


class NotifierSettings(WorkplanSettings):
    notifier_host: str = "127.0.0.1"
    notifier_port: int = Field(default=8003, ge=1, le=65535)
    public_base_url: str = Field(
        default="http://127.0.0.1:8003",
        description="Where recipients reach the notifier (one-click unsubscribe links).",
    )
    console_base_url: str = Field(
        default="http://127.0.0.1:8000",
        pattern=r"^https?://[^\s]+$",
        description="The staff console: notices link to its pages (/hearings/{id}, "
        "/items/{id}, /meetings/{id}), which open after sign-in.",
    )
    links_base_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^\s]+$",
        description="Another base for the links of notices (default: the console's).",
    )

    @property
    def links_base(self) -> str:
        """Where the links of e-mails, webhooks and inbox notices point."""
        return self.links_base_url or self.console_base_url

    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=1025, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = Field(default=False, description="Upgrade with STARTTLS (port 587).")
    smtp_tls: bool = Field(default=False, description="Implicit TLS from the start (port 465).")
    smtp_timeout: float = Field(default=30.0, gt=0)
    smtp_connections: int = Field(
        default=4, ge=1, le=64, description="SMTP connections kept open and used in parallel."
    )
    smtp_check_interval: float = Field(
        default=30.0,
        gt=0,
        description="Seconds between checks that the mail server answers again, while it does "
        "not (it is checked once at start).",
    )
    mail_from: str = Field(
        default="workplan@localhost",
        pattern=r"^[^@\s<>]+@[^@\s<>]+$",
        description="Envelope and header sender address.",
    )
    mail_from_name: str = "Workplan"

    intake_batch_size: int = Field(
        default=100,
        ge=1,
        le=1_000,
        description="Events notified in one transaction at most (the consumer's group commit).",
    )
    intake_batch_wait: float = Field(
        default=0.005,
        ge=0,
        le=1,
        description="Seconds an event waits for others to share its transaction when idle.",
    )

    webhook_timeout: float = Field(default=10.0, gt=0)
    webhook_concurrency: int = Field(default=16, ge=1, le=256)

    delivery_batch_size: int = Field(default=100, ge=1, le=5_000)
    delivery_workers: int = Field(
        default=2, ge=1, le=32, description="Delivery loops per process (claim → send → record)."
    )
    delivery_poll_interval: float = Field(default=1.0, gt=0)
    delivery_lease_seconds: float = Field(
        default=300.0,
        gt=0,
        description="A claimed delivery is left to its worker this long before another may.",
    )
    delivery_retry_schedule: list[float] = Field(
        default_factory=lambda: list(RETRY_SCHEDULE),
        min_length=1,
        description="Seconds before attempt 1, 2, …; after the last failed attempt: dead.",
    )
    delivery_retention_days: int = Field(default=90, ge=1)
    inbox_retention_days: int = Field(default=30, ge=1)

    digest_hour: int = Field(
        default=8, ge=0, le=23, description="Local hour of each recipient's daily digest."
    )
    digest_poll_interval: float = Field(default=60.0, gt=0)
