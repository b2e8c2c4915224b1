"""item search text: the folded words an item is found by, kept by a trigger, trigram-indexed

The work plan's text filter (``/api/v1/items?q=``) compared a folded concatenation of
title, description, reference, tags and owners computed for every row of the plan (~70–100
ms at 10,000 items). The same folding (Azerbaijani İ→i, I→ı, lower case, ə ı ö ü ş ç ğ
without marks) is now kept in ``items.search_text`` by a trigger on insert and update, and a
``pg_trgm`` GIN index answers ``search_text LIKE '%words%'``.

Revision ID: 0004_item_search_text
Revises: 0003_outbox_commit_time
Create Date: 2026-12-01 21:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004_item_search_text"
down_revision: str | None = "0003_outbox_commit_time"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOLDED = """translate(lower(translate(concat_ws(' ', NEW.title::text, NEW.description::text,
    NEW.ref, array_to_string(NEW.tags, ' '), array_to_string(NEW.owners, ' ')), 'İI', 'iı')),
    'əıöüşçğ', 'eiouscg')"""


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("ALTER TABLE planner.items ADD COLUMN search_text text NOT NULL DEFAULT ''")
    op.execute(f"""
        CREATE FUNCTION planner.items_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.search_text := {FOLDED};
            RETURN NEW;
        END $$
    """)
    op.execute("""
        CREATE TRIGGER items_search_text BEFORE INSERT OR UPDATE ON planner.items
        FOR EACH ROW EXECUTE FUNCTION planner.items_search_text()
    """)
    op.execute("UPDATE planner.items SET search_text = ''")  # the trigger fills it
    op.execute(
        "CREATE INDEX ix_items_search_text ON planner.items USING gin (search_text gin_trgm_ops)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX planner.ix_items_search_text")
    op.execute("DROP TRIGGER items_search_text ON planner.items")
    op.execute("DROP FUNCTION planner.items_search_text()")
    op.execute("ALTER TABLE planner.items DROP COLUMN search_text")
