"""item classifications and cleared recipients

Digest entries keep their item, so that an entry whose item is restricted before the
digest goes out is withdrawn. Recipients get ``cleared`` (default false): a restricted notice goes, redacted, to cleared
recipients only; existing recipients start uncleared (an administrator clears them).

The notifier applies the classification rule (a hearing or meeting is at least as
restricted as its item) from the item events it receives; this table keeps each item's
newest classification. Items not seen yet count as unknown: the planner's own events carry
the rule already; an external report about an unknown item is taken as restricted.

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


def upgrade() -> None:
    op.add_column(
        "recipients",
        sa.Column("cleared", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        schema="notifier",
    )
    op.add_column(
        "digest_entries", sa.Column("item_id", sa.UUID(), nullable=True), schema="notifier"
    )
    op.create_table(
        "item_classifications",
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("classification", sa.Text(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_item_classifications")),
        schema="notifier",
    )


def downgrade() -> None:
    op.drop_table("item_classifications", schema="notifier")
    op.drop_column("recipients", "cleared", schema="notifier")
    op.drop_column("digest_entries", "item_id", schema="notifier")
