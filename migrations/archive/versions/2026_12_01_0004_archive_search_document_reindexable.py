"""archive search document can be re-indexed: the log refuses every change but a new search document

The search document of each logged event (``archive.events.search``) now holds the other
forms of its words too (Azerbaijani stems; English and Russian stems), marked ``~`` apart
from the words as written. Events archived before this revision keep their old document
until ``workplan archive rebuild`` re-indexes the log (in batches, while the archive runs)
and rebuilds the read models from it; search works meanwhile, finding fewer word forms in
the older events. For that the append-only rule is narrowed: an UPDATE that changes nothing
but ``search`` (a derived index, not the record) is allowed; every other UPDATE, DELETE and
TRUNCATE is still refused.

Revision ID: 0004_search_document
Revises: 0003_calendar_feeds
Create Date: 2026-12-01 17:40:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004_search_document"
down_revision: str | None = "0003_calendar_feeds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFUSE_CHANGE = """
CREATE OR REPLACE FUNCTION archive.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {allow}
    RAISE EXCEPTION 'archive.events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$
"""
ALLOW_SEARCH_ONLY = """
    IF TG_OP = 'UPDATE' AND to_jsonb(NEW) - 'search' = to_jsonb(OLD) - 'search' THEN
        RETURN NEW;  -- a new search document: derived data, the record is unchanged
    END IF;
"""


def upgrade() -> None:
    op.execute(REFUSE_CHANGE.format(allow=ALLOW_SEARCH_ONLY))


def downgrade() -> None:
    op.execute(REFUSE_CHANGE.format(allow=""))
