"""archive initial schema: append-only event log (monthly partitions), inbox, read models, access log

Revision ID: 0001
Revises:
Create Date: 2026-11-23 16:05:57.876995
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "access_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("principal", sa.Text(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("subjects", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
        schema="archive",
    )
    op.create_index("ix_access_log_at", "access_log", ["at"], unique=False, schema="archive")
    op.create_table(
        "events",
        sa.Column("position", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(collation="C"), nullable=False),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("sequence", sa.BigInteger(), nullable=True),
        sa.Column("known", sa.Boolean(), nullable=False),
        sa.Column("mode", sa.Text(), nullable=False),
        sa.Column("committee", sa.Text(), nullable=True),
        sa.Column("session", sa.Text(), nullable=True),
        sa.Column(
            "organizations",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column("classification", sa.Text(), nullable=True),
        sa.Column("item_id", sa.UUID(), nullable=True),
        sa.Column("envelope", postgresql.JSON(astext_type=sa.Text()), nullable=False),
        sa.Column("search", postgresql.TSVECTOR(), nullable=False),
        sa.PrimaryKeyConstraint("time", "position", name=op.f("pk_events")),
        schema="archive",
        postgresql_partition_by="RANGE (time)",
    )
    op.create_index(
        "ix_events_item_id_time",
        "events",
        ["item_id", "time"],
        unique=False,
        schema="archive",
        postgresql_where=sa.text("item_id IS NOT NULL"),
    )
    op.create_index(
        "ix_events_search",
        "events",
        ["search"],
        unique=False,
        schema="archive",
        postgresql_using="gin",
    )
    op.create_index(
        "ix_events_subject_sequence",
        "events",
        ["subject", "sequence"],
        unique=False,
        schema="archive",
    )
    op.create_index(
        "ix_events_type_time", "events", ["type", "time"], unique=False, schema="archive"
    )
    op.create_table(
        "hearings",
        sa.Column("hearing_id", sa.UUID(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("committee", sa.Text(), nullable=True),
        sa.Column("session", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("classification", sa.Text(), nullable=False),
        sa.Column(
            "organizations",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column("state", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("last_event_type", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_position", sa.BigInteger(), nullable=False),
        sa.Column("search", postgresql.TSVECTOR(), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("hearing_id", name=op.f("pk_hearings")),
        schema="archive",
    )
    op.create_index(
        "ix_hearings_committee_session",
        "hearings",
        ["committee", "session"],
        unique=False,
        schema="archive",
    )
    op.create_index("ix_hearings_item_id", "hearings", ["item_id"], unique=False, schema="archive")
    op.create_index(
        "ix_hearings_organizations",
        "hearings",
        ["organizations"],
        unique=False,
        schema="archive",
        postgresql_using="gin",
    )
    op.create_index(
        "ix_hearings_search",
        "hearings",
        ["search"],
        unique=False,
        schema="archive",
        postgresql_using="gin",
    )
    op.create_index(
        "ix_hearings_starts_at", "hearings", ["starts_at"], unique=False, schema="archive"
    )
    op.create_index(
        "ix_hearings_updated_at", "hearings", ["updated_at"], unique=False, schema="archive"
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
        schema="archive",
    )
    op.create_table(
        "items",
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("committee", sa.Text(), nullable=True),
        sa.Column("session", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("classification", sa.Text(), nullable=False),
        sa.Column(
            "organizations",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column("state", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("last_event_type", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_position", sa.BigInteger(), nullable=False),
        sa.Column("search", postgresql.TSVECTOR(), nullable=False),
        sa.Column("category", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_items")),
        schema="archive",
    )
    op.create_index(
        "ix_items_committee_session",
        "items",
        ["committee", "session"],
        unique=False,
        schema="archive",
    )
    op.create_index(
        "ix_items_organizations",
        "items",
        ["organizations"],
        unique=False,
        schema="archive",
        postgresql_using="gin",
    )
    op.create_index(
        "ix_items_restricted",
        "items",
        ["item_id"],
        unique=False,
        schema="archive",
        postgresql_where=sa.text("classification = 'restricted'"),
    )
    op.create_index(
        "ix_items_search",
        "items",
        ["search"],
        unique=False,
        schema="archive",
        postgresql_using="gin",
    )
    op.create_index("ix_items_updated_at", "items", ["updated_at"], unique=False, schema="archive")
    op.create_table(
        "meetings",
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("meeting_id", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("committee", sa.Text(), nullable=True),
        sa.Column("session", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("classification", sa.Text(), nullable=False),
        sa.Column(
            "organizations",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column("state", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("last_event_type", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_position", sa.BigInteger(), nullable=False),
        sa.Column("search", postgresql.TSVECTOR(), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=True),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source", "meeting_id", name=op.f("pk_meetings")),
        schema="archive",
    )
    op.create_index(
        "ix_meetings_committee_session",
        "meetings",
        ["committee", "session"],
        unique=False,
        schema="archive",
    )
    op.create_index("ix_meetings_held_at", "meetings", ["held_at"], unique=False, schema="archive")
    op.create_index("ix_meetings_item_id", "meetings", ["item_id"], unique=False, schema="archive")
    op.create_index(
        "ix_meetings_organizations",
        "meetings",
        ["organizations"],
        unique=False,
        schema="archive",
        postgresql_using="gin",
    )
    op.create_index(
        "ix_meetings_search",
        "meetings",
        ["search"],
        unique=False,
        schema="archive",
        postgresql_using="gin",
    )
    op.create_index(
        "ix_meetings_updated_at", "meetings", ["updated_at"], unique=False, schema="archive"
    )
    op.create_table(
        "organizations",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("first_event_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_event_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_organizations")),
        schema="archive",
    )

    for statement in LOG_RULES:
        op.execute(statement)


LOG_RULES = [
    # The log is append-only: UPDATE, DELETE and TRUNCATE are refused.
    """
    CREATE FUNCTION archive.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'archive.events is append-only: % is not allowed', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END $$
    """,
    """
    CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON archive.events
    FOR EACH ROW EXECUTE FUNCTION archive.refuse_change()
    """,
    """
    CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON archive.events
    FOR EACH STATEMENT EXECUTE FUNCTION archive.refuse_change()
    """,
    # One partition per month of event time, made when the month's first event arrives;
    # times before 1900 and from 2200 on go to two catch-all partitions.
    """
    CREATE FUNCTION archive.ensure_event_partition(at timestamptz) RETURNS text
    LANGUAGE plpgsql AS $$
    DECLARE
        month_start timestamptz := date_trunc('month', at, 'UTC');
        name text := 'events_' || to_char(month_start AT TIME ZONE 'UTC', 'YYYY_MM');
    BEGIN
        IF at < '1900-01-01 00:00+00' OR at >= '2200-01-01 00:00+00' THEN
            RETURN NULL;
        END IF;
        IF to_regclass(format('archive.%I', name)) IS NOT NULL THEN
            RETURN name;
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('archive.events partitions'));
        IF to_regclass(format('archive.%I', name)) IS NULL THEN
            BEGIN
            EXECUTE format(
                'CREATE TABLE archive.%I PARTITION OF archive.events FOR VALUES FROM (%L) TO (%L)',
                name, month_start, month_start + interval '1 month'
            );
            EXECUTE format(
                'CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON archive.%I '
                'FOR EACH STATEMENT EXECUTE FUNCTION archive.refuse_change()',
                name
            );
            EXCEPTION WHEN duplicate_table THEN
                NULL;  -- made by a concurrent transaction this catalog snapshot did not see
            END;
        END IF;
        RETURN name;
    END $$
    """,
    """
    CREATE TABLE archive.events_before_1900 PARTITION OF archive.events
    FOR VALUES FROM (MINVALUE) TO ('1900-01-01 00:00+00')
    """,
    """
    CREATE TABLE archive.events_from_2200 PARTITION OF archive.events
    FOR VALUES FROM ('2200-01-01 00:00+00') TO (MAXVALUE)
    """,
    """
    CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON archive.events_before_1900
    FOR EACH STATEMENT EXECUTE FUNCTION archive.refuse_change()
    """,
    """
    CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON archive.events_from_2200
    FOR EACH STATEMENT EXECUTE FUNCTION archive.refuse_change()
    """,
]


def downgrade() -> None:
    op.execute("DROP FUNCTION archive.ensure_event_partition(timestamptz)")
    op.drop_table("organizations", schema="archive")
    op.drop_index("ix_meetings_updated_at", table_name="meetings", schema="archive")
    op.drop_index(
        "ix_meetings_search", table_name="meetings", schema="archive", postgresql_using="gin"
    )
    op.drop_index(
        "ix_meetings_organizations", table_name="meetings", schema="archive", postgresql_using="gin"
    )
    op.drop_index("ix_meetings_item_id", table_name="meetings", schema="archive")
    op.drop_index("ix_meetings_held_at", table_name="meetings", schema="archive")
    op.drop_index("ix_meetings_committee_session", table_name="meetings", schema="archive")
    op.drop_table("meetings", schema="archive")
    op.drop_index("ix_items_updated_at", table_name="items", schema="archive")
    op.drop_index("ix_items_search", table_name="items", schema="archive", postgresql_using="gin")
    op.drop_index(
        "ix_items_restricted",
        table_name="items",
        schema="archive",
        postgresql_where=sa.text("classification = 'restricted'"),
    )
    op.drop_index(
        "ix_items_organizations", table_name="items", schema="archive", postgresql_using="gin"
    )
    op.drop_index("ix_items_committee_session", table_name="items", schema="archive")
    op.drop_table("items", schema="archive")
    op.drop_table("inbox", schema="archive")
    op.drop_index("ix_hearings_updated_at", table_name="hearings", schema="archive")
    op.drop_index("ix_hearings_starts_at", table_name="hearings", schema="archive")
    op.drop_index(
        "ix_hearings_search", table_name="hearings", schema="archive", postgresql_using="gin"
    )
    op.drop_index(
        "ix_hearings_organizations", table_name="hearings", schema="archive", postgresql_using="gin"
    )
    op.drop_index("ix_hearings_item_id", table_name="hearings", schema="archive")
    op.drop_index("ix_hearings_committee_session", table_name="hearings", schema="archive")
    op.drop_table("hearings", schema="archive")
    op.drop_index("ix_events_type_time", table_name="events", schema="archive")
    op.drop_index("ix_events_subject_sequence", table_name="events", schema="archive")
    op.drop_index("ix_events_search", table_name="events", schema="archive", postgresql_using="gin")
    op.drop_index(
        "ix_events_item_id_time",
        table_name="events",
        schema="archive",
        postgresql_where=sa.text("item_id IS NOT NULL"),
    )
    op.drop_table("events", schema="archive")
    op.drop_index("ix_access_log_at", table_name="access_log", schema="archive")
    op.drop_table("access_log", schema="archive")
    op.execute("DROP FUNCTION archive.refuse_change()")
