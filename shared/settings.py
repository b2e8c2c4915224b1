"""Configuration shared by every service: one env prefix (``WORKPLAN_``), ``.env`` supported.

Each service extends :class:`WorkplanSettings` with its own fields; defaults work against
the local PostgreSQL (127.0.0.1:5432) and RabbitMQ (127.0.0.1:5672, guest/guest).
"""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLANNER_SOURCE = "urn:workplan:planner"


class WorkplanSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="WORKPLAN_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    database_url: SecretStr = Field(
        default=SecretStr("postgresql+asyncpg://postgres@127.0.0.1:5432/workplan"),
        description="SQLAlchemy URL of the PostgreSQL database (asyncpg driver).",
    )
    database_pool_size: int = Field(default=10, ge=1, le=200)
    amqp_url: SecretStr = Field(
        default=SecretStr("amqp://guest:guest@127.0.0.1:5672/"),
        description="RabbitMQ URL.",
    )
    broker_prefix: str = Field(
        default="workplan",
        pattern=r"^[a-z0-9][a-z0-9_.-]{0,60}$",
        description="Prefix of every exchange and queue name, so deployments can share a broker.",
    )
    queue_partitions: int = Field(
        default=4,
        ge=0,
        le=64,
        description="Queues per consuming service, hashed by subject, one active copy each "
        "(copies of a service share them; needs the rabbitmq_consistent_hash_exchange plugin). "
        "0: one queue per service, no plugin.",
    )
    copies: int = Field(
        default=1,
        ge=1,
        le=64,
        description="How many copies of this service run (with WORKPLAN_COPY_INDEX: which "
        "partitions this copy takes first; the others it takes over when their copy goes away).",
    )
    copy_index: int = Field(default=0, ge=0, le=63, description="This copy's number, from 0.")
    prefetch: int = Field(default=64, ge=1, le=10_000, description="Unacked messages per consumer.")
    delivery_limit: int = Field(
        default=10, ge=1, description="Redeliveries of a failing message before dead-lettering."
    )
    publish_timeout: float = Field(default=10.0, gt=0, description="Seconds to wait for a confirm.")
    graceful_timeout: float = Field(
        default=20.0, gt=0, description="Seconds to finish in-flight messages on shutdown."
    )

    jwt_secret: SecretStr = Field(
        default=SecretStr("workplan-local-development-key-change-me"),
        description="HMAC key for tokens minted by `workplan tokens create` (HS256).",
    )
    jwt_issuer: str = "workplan"
    jwt_audience: str = "workplan"
    oidc_issuer: str | None = Field(
        default=None, description="Also accept RS/ES tokens from this OIDC issuer."
    )
    oidc_jwks_url: str | None = Field(default=None, description="JWKS URL of the OIDC issuer.")

    publishers: dict[str, list[str]] = Field(
        default_factory=dict,
        description=(
            "External systems allowed to publish: CloudEvents `source` -> allowed type patterns "
            '(fnmatch), e.g. {"urn:gov:az:mfa": ["workplan.meeting.held.v1"]}.'
        ),
    )

    max_request_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        description="Largest HTTP request body a service reads; a larger one is a 413.",
    )

    log_level: str = "INFO"
    log_json: bool = True
    otel_enabled: bool = Field(
        default=False,
        description="Send OpenTelemetry traces (OTLP over HTTP, to OTEL_EXPORTER_OTLP_ENDPOINT) "
        "and carry the trace context inside events (traceparent).",
    )

    @model_validator(mode="after")
    def _copy_in_range(self) -> WorkplanSettings:
        if self.copy_index >= self.copies:
            raise ValueError(
                f"WORKPLAN_COPY_INDEX={self.copy_index} must be below WORKPLAN_COPIES={self.copies}"
            )
        return self
