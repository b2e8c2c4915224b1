"""Tables of the ``notifier`` schema; recipients, subscriptions, endpoints and mandatory
notices are mapped onto the domain classes, the delivery pipeline uses Core statements.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import registry

from services.notifier.domain.recipients import Recipient
from services.notifier.domain.subscriptions import MandatoryNotice, Subscription
from services.notifier.domain.webhooks import WebhookEndpoint
from shared.db.inbox import inbox_table
from shared.db.naming import schema_metadata

SCHEMA = "notifier"
metadata = schema_metadata(SCHEMA)
mapper_registry = registry(metadata=metadata)


def _at(name: str = "created_at") -> Column[Any]:
    return Column(name, DateTime(timezone=True), nullable=False, server_default=func.now())


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=column)


recipients = Table(
    "recipients",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("language", Text, nullable=False),
    Column("timezone", Text, nullable=False),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("cleared", Boolean, nullable=False, server_default=text("false")),
    _at(),
    Index("uq_recipients_email", func.lower(text("email")), unique=True),
    _one_of("language", ("az", "en", "ru")),
)

webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column(
        "recipient_id",
        UUID(as_uuid=True),
        ForeignKey("recipients.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("url", Text, nullable=False),
    Column("secret", Text, nullable=False),
    Column("description", Text, nullable=True),
    Column("enabled", Boolean, nullable=False, server_default=text("true")),
    Column("disabled_reason", Text, nullable=True),
    _at(),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column(
        "recipient_id",
        UUID(as_uuid=True),
        ForeignKey("recipients.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("channel", Text, nullable=False),
    Column("mode", Text, nullable=False),
    Column("event_type", Text, nullable=False),
    Column("committee", Text, nullable=True),
    Column("item_id", UUID(as_uuid=True), nullable=True),
    Column("organization", Text, nullable=True),
    Column("muted", Boolean, nullable=False, server_default=text("false")),
    _at(),
    _one_of("channel", ("email", "webhook", "inbox")),
    _one_of("mode", ("immediate", "digest")),
)

mandatory_notices = Table(
    "mandatory_notices",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("event_type", Text, nullable=False),
    Column("committee", Text, nullable=True),
    Column("description", Text, nullable=True),
    _at(),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("event_source", Text, nullable=False),
    Column("event_id", Text, nullable=False),
    Column("event_type", Text, nullable=False),
    Column("subject", Text, nullable=True),
    Column("kind", Text, nullable=False, server_default=text("'event'")),
    Column("recipient_id", UUID(as_uuid=True), ForeignKey("recipients.id"), nullable=False),
    Column("channel", Text, nullable=False),
    Column(
        "endpoint_id",
        UUID(as_uuid=True),
        ForeignKey("webhook_endpoints.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("target", Text, nullable=False),
    Column("message_id", Text, nullable=True),
    Column("content", LargeBinary, nullable=False),
    Column("restricted", Boolean, nullable=False),
    Column("status", Text, nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt_at", DateTime(timezone=True), nullable=True),
    Column("last_error", Text, nullable=True),
    _at(),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Index(
        "uq_deliveries_event_recipient_channel",
        "event_source",
        "event_id",
        "recipient_id",
        "channel",
        unique=True,
    ),
    Index(
        "ix_deliveries_due",
        "next_attempt_at",
        postgresql_where=text("status IN ('queued', 'retrying')"),
    ),
    Index("ix_deliveries_status_created_at", "status", "created_at"),
    Index("ix_deliveries_recipient_id", "recipient_id"),
    _one_of("channel", ("email", "webhook", "inbox")),
    _one_of("status", ("queued", "sent", "retrying", "failed", "dead")),
)

delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    Column(
        "delivery_id",
        UUID(as_uuid=True),
        ForeignKey("deliveries.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("attempt", Integer, nullable=False),
    Column("status", Text, nullable=False),
    Column("detail", Text, nullable=True),
    _at("at"),
)

notifications = Table(
    "notifications",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column(
        "recipient_id",
        UUID(as_uuid=True),
        ForeignKey("recipients.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column(
        "delivery_id",
        UUID(as_uuid=True),
        ForeignKey("deliveries.id", ondelete="SET NULL"),
        nullable=True,
        unique=True,
    ),
    Column("event_type", Text, nullable=False),
    Column("subject", Text, nullable=True),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("link", Text, nullable=False),
    Column("restricted", Boolean, nullable=False),
    _at(),
    Column("read_at", DateTime(timezone=True), nullable=True),
    Index("ix_notifications_recipient_id_created_at", "recipient_id", "created_at"),
    Index(
        "ix_notifications_unread",
        "recipient_id",
        postgresql_where=text("read_at IS NULL"),
    ),
)

digest_entries = Table(
    "digest_entries",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column(
        "recipient_id",
        UUID(as_uuid=True),
        ForeignKey("recipients.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("event_source", Text, nullable=False),
    Column("event_id", Text, nullable=False),
    Column("event_type", Text, nullable=False),
    Column("headline", Text, nullable=False),
    Column("details", Text, nullable=False),
    Column("link", Text, nullable=False),
    Column("restricted", Boolean, nullable=False),
    Column("item_id", UUID(as_uuid=True), nullable=True),
    _at(),
    Column(
        "digest_delivery_id",
        UUID(as_uuid=True),
        ForeignKey("deliveries.id", ondelete="CASCADE"),
        nullable=True,
    ),
    Index(
        "uq_digest_entries_event_recipient",
        "event_source",
        "event_id",
        "recipient_id",
        unique=True,
    ),
    Index(
        "ix_digest_entries_pending",
        "recipient_id",
        "created_at",
        postgresql_where=text("digest_delivery_id IS NULL"),
    ),
)

subject_versions = Table(
    "subject_versions",
    metadata,
    Column("source", Text, primary_key=True),
    Column("subject", Text, primary_key=True),
    Column("sequence", BigInteger, nullable=False),
    _at("updated_at"),
)

item_classifications = Table(
    "item_classifications",
    metadata,
    Column("item_id", UUID(as_uuid=True), primary_key=True),
    Column("classification", Text, nullable=False),
    Column("sequence", BigInteger, nullable=False),
    _at("updated_at"),
)
"""What each item is classified as now (from the item events): the classification rule
raises its hearings and meetings to it."""

inbox = inbox_table(metadata)


def start_mappers() -> None:
    """Map the domain classes onto the tables (once per process; idempotent)."""
    if mapper_registry.mappers:
        return
    mapper_registry.map_imperatively(Recipient, recipients)
    mapper_registry.map_imperatively(Subscription, subscriptions)
    mapper_registry.map_imperatively(WebhookEndpoint, webhook_endpoints)
    mapper_registry.map_imperatively(MandatoryNotice, mandatory_notices)
