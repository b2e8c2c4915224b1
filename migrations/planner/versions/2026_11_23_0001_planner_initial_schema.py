"""planner initial schema: plan, items, hearings, meetings, outbox (with NOTIFY), inbox

Revision ID: 0001
Revises:
Create Date: 2026-11-23 15:25:51.735517
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.outbox import notify_trigger_sql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "committees",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "parliament",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_committees")),
        schema="planner",
    )
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
        schema="planner",
    )
    op.create_table(
        "organizations",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "abbreviation",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column("classification", sa.Text(), nullable=False),
        sa.Column(
            "identifiers",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_organizations")),
        schema="planner",
    )
    op.create_table(
        "outbox",
        sa.Column("position", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=True),
        sa.Column("body", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "next_attempt_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_outbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_outbox_event_id")),
        schema="planner",
    )
    op.create_index(
        "ix_outbox_pending",
        "outbox",
        ["position"],
        unique=False,
        schema="planner",
        postgresql_where=sa.text("published_at IS NULL"),
    )
    op.create_index(
        "ix_outbox_pending_subject",
        "outbox",
        ["subject", "position"],
        unique=False,
        schema="planner",
        postgresql_where=sa.text("published_at IS NULL"),
    )
    op.create_table(
        "work_plans",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("committee_code", sa.Text(), nullable=False),
        sa.Column("session_code", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_plans")),
        sa.UniqueConstraint(
            "committee_code", "session_code", name=op.f("uq_work_plans_committee_code_session_code")
        ),
        schema="planner",
    )
    op.create_table(
        "items",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("work_plan_id", sa.UUID(), nullable=False),
        sa.Column("committee", sa.Text(), nullable=False),
        sa.Column("session", sa.Text(), nullable=False),
        sa.Column("ref", sa.Text(), nullable=True),
        sa.Column("title", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("description", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("organizations", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("owners", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("classification", sa.Text(), nullable=False),
        sa.Column("tags", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["work_plan_id"],
            ["planner.work_plans.id"],
            name=op.f("fk_items_work_plan_id_work_plans"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_items")),
        sa.UniqueConstraint("work_plan_id", "ref", name=op.f("uq_items_work_plan_id_ref")),
        schema="planner",
    )
    op.create_index(
        "ix_items_organizations",
        "items",
        ["organizations"],
        unique=False,
        schema="planner",
        postgresql_using="gin",
    )
    op.create_table(
        "sessions",
        sa.Column("committee_code", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("timezone", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["committee_code"],
            ["planner.committees.code"],
            name=op.f("fk_sessions_committee_code_committees"),
        ),
        sa.PrimaryKeyConstraint("committee_code", "code", name=op.f("pk_sessions")),
        schema="planner",
    )
    op.create_table(
        "hearings",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("committee", sa.Text(), nullable=False),
        sa.Column("session", sa.Text(), nullable=False),
        sa.Column("timezone", sa.Text(), nullable=False),
        sa.Column("classification", sa.Text(), nullable=False),
        sa.Column("title", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("format", sa.Text(), nullable=False),
        sa.Column("invitees", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("witnesses", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("organizations", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("previous_starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("summary", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["planner.items.id"], name=op.f("fk_hearings_item_id_items")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hearings")),
        schema="planner",
    )
    op.create_index(
        "ix_hearings_committee_starts_at",
        "hearings",
        ["committee", "starts_at"],
        unique=False,
        schema="planner",
    )
    op.create_index(
        op.f("ix_hearings_item_id"), "hearings", ["item_id"], unique=False, schema="planner"
    )
    op.create_table(
        "meetings",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("external_id", sa.Text(), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=True),
        sa.Column("committee", sa.Text(), nullable=True),
        sa.Column("session", sa.Text(), nullable=True),
        sa.Column("organizations", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("title", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("participants", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("summary", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("outcomes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("reported_by", sa.Text(), nullable=True),
        sa.Column("classification", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["planner.items.id"], name=op.f("fk_meetings_item_id_items")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("source", "external_id", name=op.f("uq_meetings_source_external_id")),
        schema="planner",
    )
    op.create_index(
        op.f("ix_meetings_item_id"), "meetings", ["item_id"], unique=False, schema="planner"
    )
    for statement in notify_trigger_sql("planner")[0]:
        op.execute(statement)


def downgrade() -> None:
    for statement in notify_trigger_sql("planner")[1]:
        op.execute(statement)
    op.drop_index(op.f("ix_meetings_item_id"), table_name="meetings", schema="planner")
    op.drop_table("meetings", schema="planner")
    op.drop_index(op.f("ix_hearings_item_id"), table_name="hearings", schema="planner")
    op.drop_index("ix_hearings_committee_starts_at", table_name="hearings", schema="planner")
    op.drop_table("hearings", schema="planner")
    op.drop_table("sessions", schema="planner")
    op.drop_index(
        "ix_items_organizations", table_name="items", schema="planner", postgresql_using="gin"
    )
    op.drop_table("items", schema="planner")
    op.drop_table("work_plans", schema="planner")
    op.drop_index(
        "ix_outbox_pending_subject",
        table_name="outbox",
        schema="planner",
        postgresql_where=sa.text("published_at IS NULL"),
    )
    op.drop_index(
        "ix_outbox_pending",
        table_name="outbox",
        schema="planner",
        postgresql_where=sa.text("published_at IS NULL"),
    )
    op.drop_table("outbox", schema="planner")
    op.drop_table("organizations", schema="planner")
    op.drop_table("inbox", schema="planner")
    op.drop_table("committees", schema="planner")
