"""The archive's settings: the shared ones plus its HTTP address, ingest tuning and feeds."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from shared.settings import WorkplanSettings


class ArchiveSettings(WorkplanSettings):
    archive_host: str = "127.0.0.1"
    archive_port: int = Field(default=8002, ge=1, le=65535)
    archive_prefetch: int = Field(
        default=500,
        ge=1,
        le=10_000,
        description="Unacked messages the archive consumer holds: enough to fill several batches.",
    )
    archive_batch_size: int = Field(
        default=200, ge=1, le=5_000, description="Events written per transaction, at most."
    )
    archive_batch_wait: float = Field(
        default=0.005,
        ge=0,
        le=5,
        description="Seconds a partial batch waits for more events before it is written.",
    )
    archive_ingest_pool_size: int = Field(
        default=2, ge=1, le=50, description="Database connections of the ingest writer."
    )

    archive_public_url: str = Field(
        default="http://127.0.0.1:8002",
        pattern=r"^https?://[^\s]+$",
        description="Where calendar programs reach the archive: the start of feed addresses.",
    )
    console_base_url: str = Field(
        default="http://127.0.0.1:8000",
        pattern=r"^https?://[^\s]+$",
        description="The staff console: calendar entries link to its hearing and item pages.",
    )
    calendar_refresh_minutes: int = Field(
        default=60,
        ge=5,
        le=1440,
        description="How often calendar programs should fetch a feed again (REFRESH-INTERVAL).",
    )
    calendar_timezone: str = Field(
        default="UTC",
        description="Zone of meetings whose session's zone the archive does not know "
        "(it learns a session's zone from its hearings).",
    )

    @field_validator("calendar_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value
