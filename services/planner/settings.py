"""The planner's settings: the shared ones plus its HTTP address and relay tuning."""

from __future__ import annotations

from pydantic import Field

from shared.settings import WorkplanSettings


class PlannerSettings(WorkplanSettings):
    planner_host: str = "127.0.0.1"
    planner_port: int = Field(default=8001, ge=1, le=65535)
    relay_batch_size: int = Field(default=500, ge=1, le=10_000)
    relay_poll_interval: float = Field(default=1.0, gt=0)
    outbox_retention_days: int = Field(default=7, ge=1)
    inbox_retention_days: int = Field(default=30, ge=1)
