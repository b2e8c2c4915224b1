"""notifier initial schema: recipients, subscriptions, endpoints, deliveries (with NOTIFY),
attempts, in-app notifications, digest entries, subject versions, inbox

Revision ID: 0001
Revises:
Create Date: 2026-11-23 16:06:15.064085
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

WAKE_UP = [
    """
    CREATE FUNCTION notifier.deliveries_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('notifier_deliveries', '');
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER deliveries_notify AFTER INSERT ON notifier.deliveries
    FOR EACH STATEMENT EXECUTE FUNCTION notifier.deliveries_notify()
    """,
]
"""Wake the delivery workers as soon as a transaction that queued deliveries commits."""

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("source", "event_id", name=op.f("pk_inbox")),
        schema="notifier",
    )
    op.create_table(
        "mandatory_notices",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("committee", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mandatory_notices")),
        schema="notifier",
    )
    op.create_table(
        "recipients",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("timezone", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("language IN ('az', 'en', 'ru')", name=op.f("ck_recipients_language")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipients")),
        schema="notifier",
    )
    op.create_index(
        "uq_recipients_email",
        "recipients",
        [sa.literal_column("lower(email)")],
        unique=True,
        schema="notifier",
    )
    op.create_table(
        "subject_versions",
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("source", "subject", name=op.f("pk_subject_versions")),
        schema="notifier",
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("recipient_id", sa.UUID(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("mode", sa.Text(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("committee", sa.Text(), nullable=True),
        sa.Column("item_id", sa.UUID(), nullable=True),
        sa.Column("organization", sa.Text(), nullable=True),
        sa.Column("muted", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "channel IN ('email', 'webhook', 'inbox')", name=op.f("ck_subscriptions_channel")
        ),
        sa.CheckConstraint("mode IN ('immediate', 'digest')", name=op.f("ck_subscriptions_mode")),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["notifier.recipients.id"],
            name=op.f("fk_subscriptions_recipient_id_recipients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
        schema="notifier",
    )
    op.create_index(
        op.f("ix_subscriptions_recipient_id"),
        "subscriptions",
        ["recipient_id"],
        unique=False,
        schema="notifier",
    )
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("recipient_id", sa.UUID(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("disabled_reason", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["notifier.recipients.id"],
            name=op.f("fk_webhook_endpoints_recipient_id_recipients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoints")),
        sa.UniqueConstraint("recipient_id", name=op.f("uq_webhook_endpoints_recipient_id")),
        schema="notifier",
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("event_source", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("kind", sa.Text(), server_default=sa.text("'event'"), nullable=False),
        sa.Column("recipient_id", sa.UUID(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("endpoint_id", sa.UUID(), nullable=True),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("restricted", sa.Boolean(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "channel IN ('email', 'webhook', 'inbox')", name=op.f("ck_deliveries_channel")
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'sent', 'retrying', 'failed', 'dead')",
            name=op.f("ck_deliveries_status"),
        ),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["notifier.webhook_endpoints.id"],
            name=op.f("fk_deliveries_endpoint_id_webhook_endpoints"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["notifier.recipients.id"],
            name=op.f("fk_deliveries_recipient_id_recipients"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        schema="notifier",
    )
    op.create_index(
        "ix_deliveries_due",
        "deliveries",
        ["next_attempt_at"],
        unique=False,
        schema="notifier",
        postgresql_where=sa.text("status IN ('queued', 'retrying')"),
    )
    op.create_index(
        "ix_deliveries_recipient_id",
        "deliveries",
        ["recipient_id"],
        unique=False,
        schema="notifier",
    )
    op.create_index(
        "ix_deliveries_status_created_at",
        "deliveries",
        ["status", "created_at"],
        unique=False,
        schema="notifier",
    )
    op.create_index(
        "uq_deliveries_event_recipient_channel",
        "deliveries",
        ["event_source", "event_id", "recipient_id", "channel"],
        unique=True,
        schema="notifier",
    )
    op.create_table(
        "delivery_attempts",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("delivery_id", sa.UUID(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["notifier.deliveries.id"],
            name=op.f("fk_delivery_attempts_delivery_id_deliveries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_attempts")),
        schema="notifier",
    )
    op.create_index(
        op.f("ix_delivery_attempts_delivery_id"),
        "delivery_attempts",
        ["delivery_id"],
        unique=False,
        schema="notifier",
    )
    op.create_table(
        "digest_entries",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("recipient_id", sa.UUID(), nullable=False),
        sa.Column("event_source", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("headline", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("link", sa.Text(), nullable=False),
        sa.Column("restricted", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("digest_delivery_id", sa.UUID(), nullable=True),
        sa.ForeignKeyConstraint(
            ["digest_delivery_id"],
            ["notifier.deliveries.id"],
            name=op.f("fk_digest_entries_digest_delivery_id_deliveries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["notifier.recipients.id"],
            name=op.f("fk_digest_entries_recipient_id_recipients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_entries")),
        schema="notifier",
    )
    op.create_index(
        "ix_digest_entries_pending",
        "digest_entries",
        ["recipient_id", "created_at"],
        unique=False,
        schema="notifier",
        postgresql_where=sa.text("digest_delivery_id IS NULL"),
    )
    op.create_index(
        "uq_digest_entries_event_recipient",
        "digest_entries",
        ["event_source", "event_id", "recipient_id"],
        unique=True,
        schema="notifier",
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("recipient_id", sa.UUID(), nullable=False),
        sa.Column("delivery_id", sa.UUID(), nullable=True),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.Text(), nullable=False),
        sa.Column("restricted", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["notifier.deliveries.id"],
            name=op.f("fk_notifications_delivery_id_deliveries"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["notifier.recipients.id"],
            name=op.f("fk_notifications_recipient_id_recipients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("delivery_id", name=op.f("uq_notifications_delivery_id")),
        schema="notifier",
    )
    op.create_index(
        "ix_notifications_recipient_id_created_at",
        "notifications",
        ["recipient_id", "created_at"],
        unique=False,
        schema="notifier",
    )
    op.create_index(
        "ix_notifications_unread",
        "notifications",
        ["recipient_id"],
        unique=False,
        schema="notifier",
        postgresql_where=sa.text("read_at IS NULL"),
    )
    for statement in WAKE_UP:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TRIGGER deliveries_notify ON notifier.deliveries")
    op.execute("DROP FUNCTION notifier.deliveries_notify()")
    op.drop_index(
        "ix_notifications_unread",
        table_name="notifications",
        schema="notifier",
        postgresql_where=sa.text("read_at IS NULL"),
    )
    op.drop_index(
        "ix_notifications_recipient_id_created_at", table_name="notifications", schema="notifier"
    )
    op.drop_table("notifications", schema="notifier")
    op.drop_index(
        "uq_digest_entries_event_recipient", table_name="digest_entries", schema="notifier"
    )
    op.drop_index(
        "ix_digest_entries_pending",
        table_name="digest_entries",
        schema="notifier",
        postgresql_where=sa.text("digest_delivery_id IS NULL"),
    )
    op.drop_table("digest_entries", schema="notifier")
    op.drop_index(
        op.f("ix_delivery_attempts_delivery_id"), table_name="delivery_attempts", schema="notifier"
    )
    op.drop_table("delivery_attempts", schema="notifier")
    op.drop_index(
        "uq_deliveries_event_recipient_channel", table_name="deliveries", schema="notifier"
    )
    op.drop_index("ix_deliveries_status_created_at", table_name="deliveries", schema="notifier")
    op.drop_index("ix_deliveries_recipient_id", table_name="deliveries", schema="notifier")
    op.drop_index(
        "ix_deliveries_due",
        table_name="deliveries",
        schema="notifier",
        postgresql_where=sa.text("status IN ('queued', 'retrying')"),
    )
    op.drop_table("deliveries", schema="notifier")
    op.drop_table("webhook_endpoints", schema="notifier")
    op.drop_index(
        op.f("ix_subscriptions_recipient_id"), table_name="subscriptions", schema="notifier"
    )
    op.drop_table("subscriptions", schema="notifier")
    op.drop_table("subject_versions", schema="notifier")
    op.drop_index("uq_recipients_email", table_name="recipients", schema="notifier")
    op.drop_table("recipients", schema="notifier")
    op.drop_table("mandatory_notices", schema="notifier")
    op.drop_table("inbox", schema="notifier")
