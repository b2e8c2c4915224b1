"""What a local run reads (environment and ``.env``, like the services): where each service
listens, whether an SMTP server is configured, and the local mail catcher."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from shared.settings import WorkplanSettings


class LocalRunSettings(WorkplanSettings):
    planner_host: str = "127.0.0.1"
    planner_port: int = Field(default=8001, ge=1, le=65535)
    archive_host: str = "127.0.0.1"
    archive_port: int = Field(default=8002, ge=1, le=65535)
    notifier_host: str = "127.0.0.1"
    notifier_port: int = Field(default=8003, ge=1, le=65535)
    console_host: str = "127.0.0.1"
    console_port: int = Field(default=8000, ge=1, le=65535)

    smtp_host: str | None = Field(
        default=None, description="Set it (or WORKPLAN_SMTP_PORT) to send mail to a real server."
    )
    smtp_port: int | None = Field(default=None, ge=1, le=65535)

    mail_catcher_host: str = "127.0.0.1"
    mail_catcher_port: int = Field(
        default=1025, ge=1, le=65535, description="Where `workplan up` catches mail."
    )
    mail_catcher_dir: Path = Field(
        default=Path("var/mail"),
        description="Where caught mail is kept, one .eml file a message (relative to the "
        "working directory).",
    )

    @property
    def smtp_configured(self) -> bool:
        return self.smtp_host is not None or self.smtp_port is not None

    def listeners(self) -> dict[str, tuple[str, int]]:
        """Each service's HTTP address."""
        return {
            "planner": (self.planner_host, self.planner_port),
            "archive": (self.archive_host, self.archive_port),
            "notifier": (self.notifier_host, self.notifier_port),
            "console": (self.console_host, self.console_port),
        }
