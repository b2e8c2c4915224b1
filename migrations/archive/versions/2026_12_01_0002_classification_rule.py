"""classification rule: organisation counts per item and classification

``organizations`` counted every event naming a counterpart, so its counts and first/last
times told a reader about events they may not see. It now counts per item and
classification, so a reader's figures include only what the classification rule lets
them see (also after items are reclassified). Rebuilt from the log. The access log gets
the indexes an auditor's filters need (principal, record).

Revision ID: 0002_classification_rule
Revises: 0001
Create Date: 2026-12-01 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_classification_rule"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _organizations(*key: sa.Column[object]) -> None:
    op.create_table(
        "organizations",
        sa.Column("code", sa.Text(), nullable=False),
        *key,
        sa.Column("first_event_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_event_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "code", *(column.name for column in key), name=op.f("pk_organizations")
        ),
        schema="archive",
    )


def upgrade() -> None:
    op.drop_table("organizations", schema="archive")
    _organizations(
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("classification", sa.Text(), nullable=False),
    )
    op.execute(
        "INSERT INTO archive.organizations "
        "(code, item_id, classification, first_event_at, last_event_at, events) "
        "SELECT code, coalesce(item_id, '00000000-0000-0000-0000-000000000000'), "
        "coalesce(classification, 'internal'), "
        "min(time), max(time), count(*) "
        "FROM archive.events, unnest(organizations) AS code GROUP BY 1, 2, 3"
    )
    op.create_index(
        "ix_access_log_principal_at", "access_log", ["principal", "at"], schema="archive"
    )
    op.create_index(
        "ix_access_log_subjects",
        "access_log",
        ["subjects"],
        schema="archive",
        postgresql_using="gin",
    )


def downgrade() -> None:
    op.drop_index("ix_access_log_subjects", table_name="access_log", schema="archive")
    op.drop_index("ix_access_log_principal_at", table_name="access_log", schema="archive")
    op.drop_table("organizations", schema="archive")
    _organizations()
    op.execute(
        "INSERT INTO archive.organizations (code, first_event_at, last_event_at, events) "
        "SELECT code, min(time), max(time), count(*) "
        "FROM archive.events, unnest(organizations) AS code GROUP BY code"
    )
