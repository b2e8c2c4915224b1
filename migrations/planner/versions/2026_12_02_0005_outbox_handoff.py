"""outbox hand-off: the NOTIFY trigger wakes relays only for rows they may claim now

A command's outbox rows are handed straight to its own process's relay at the commit and
left to it for a while (``next_attempt_at`` later): waking every relay to claim them would
cost each a transaction that finds nothing. Rows any relay may claim at once (written by
``workplan import``, or waiting behind an earlier event of their subject) still NOTIFY.

Revision ID: 0005_outbox_handoff
Revises: 0004_item_search_text
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

from alembic import op

from shared.db.outbox import claimable_notify_sql, notify_trigger_sql

revision: str = "0005_outbox_handoff"
down_revision: str | None = "0004_item_search_text"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for statement in claimable_notify_sql("planner"):
        op.execute(statement)


def downgrade() -> None:
    created, dropped = notify_trigger_sql("planner")
    for statement in [*dropped, *created]:
        op.execute(statement)
