"""The archive's settings: the shared ones plus its HTTP address and ingest tuning."""

from __future__ import annotations

from pydantic import Field

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
