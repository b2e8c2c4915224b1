"""outbox commit time: an outbox row's ``created_at`` is when it was written, not when its
transaction began

``now()`` is the start of the transaction; the outbox row is the last thing a command
writes before its commit, so ``clock_timestamp()`` is within a statement of the commit.
The relay's lag metric and the benchmark's commit → published figures start there.

Revision ID: 0003_outbox_commit_time
Revises: 0002_classification_rule
Create Date: 2026-12-01 19:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003_outbox_commit_time"
down_revision: str | None = "0002_classification_rule"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ALTER TABLE planner.outbox ALTER COLUMN created_at SET DEFAULT clock_timestamp()")


def downgrade() -> None:
    op.execute("ALTER TABLE planner.outbox ALTER COLUMN created_at SET DEFAULT now()")
