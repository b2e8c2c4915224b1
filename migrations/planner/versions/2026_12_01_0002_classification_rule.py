"""classification rule: a meeting is at least as restricted as its item

Meetings keep what their recorder or reporter declared (``declared_classification``) and
the classification that counts, raised to their item's; existing meetings of a more
restricted item are raised now. ``unlinked_reason`` says why a reported meeting is not
linked to the item its report names. Hearings already follow their item's; any that do
not are aligned.

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

RAISE_MEETINGS = """
UPDATE planner.meetings m SET classification = i.classification, updated_at = now()
FROM planner.items i
WHERE m.item_id = i.id
  AND (CASE i.classification WHEN 'public' THEN 0 WHEN 'internal' THEN 1 ELSE 2 END)
    > (CASE m.classification WHEN 'public' THEN 0 WHEN 'internal' THEN 1 ELSE 2 END)
"""


def upgrade() -> None:
    op.add_column(
        "meetings",
        sa.Column("declared_classification", sa.Text(), nullable=True),
        schema="planner",
    )
    op.add_column(
        "meetings", sa.Column("unlinked_reason", sa.Text(), nullable=True), schema="planner"
    )
    op.execute("UPDATE planner.meetings SET declared_classification = classification")
    op.alter_column("meetings", "declared_classification", nullable=False, schema="planner")
    op.execute(RAISE_MEETINGS)
    op.execute(
        "UPDATE planner.hearings h SET classification = i.classification, updated_at = now() "
        "FROM planner.items i WHERE h.item_id = i.id AND h.classification <> i.classification"
    )


def downgrade() -> None:
    op.drop_column("meetings", "unlinked_reason", schema="planner")
    op.drop_column("meetings", "declared_classification", schema="planner")
