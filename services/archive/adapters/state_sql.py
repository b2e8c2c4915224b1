"""SQL of the item, hearing and meeting views: the read models now, or the log "as of".

Both give the same columns, so every filter, order and output works on either:
``key, source, version, committee, session, status, category, classification,
organizations, item_id, date, updated_at, last_event_type, state, search``.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.archive.domain.projections import Kind

RESTRICTED = (
    "(({v}.classification IS NOT NULL AND {v}.classification NOT IN ('public', 'internal')) "
    "OR EXISTS (SELECT 1 FROM archive.items r "
    "WHERE r.item_id = {v}.item_id AND r.classification = 'restricted'))"
)
"""The classification rule (``shared.contract.classification``) in SQL: an event or state
is restricted when it says so (an unknown marking counts as restricted, a missing one as
the default) or when its item is restricted now. Written on the column itself, not on
``coalesce(classification, …)``: PostgreSQL has statistics of the column, none of the
expression, and guessed 0.5% of rows visible, so it sorted every match of a common word
instead of walking the newest ones (150 ms instead of 0.5 ms at 200,000 hearings)."""


def restricted(alias: str) -> str:
    return RESTRICTED.format(v=alias)


def effective_classification(alias: str) -> str:
    """The classification to show: raised to ``restricted`` when the rule says so."""
    return (
        f"CASE WHEN {restricted(alias)} THEN 'restricted' "
        f"ELSE coalesce({alias}.classification, 'internal') END"
    )


@dataclass(frozen=True)
class KindSql:
    kind: Kind
    current: str
    type_like: str
    as_of_key: str
    as_of_date: str
    distinct: str
    order: str


_AS_OF = """
SELECT DISTINCT ON ({distinct})
    {key} AS key, e.source, coalesce(e.sequence, 1) AS version, e.committee, e.session,
    {status} AS status, {category} AS category, coalesce(e.classification, 'internal')
    AS classification, e.organizations, e.item_id, {date} AS date, e.time AS updated_at,
    e.type AS last_event_type, (e.envelope -> 'data')::jsonb AS state, e.search
FROM archive.events e
WHERE e.known AND e.type LIKE '{type_like}' AND e.time <= :as_of {narrow}
ORDER BY {distinct}, coalesce(e.sequence, 1) DESC, e.position
"""


KIND_SQL: dict[Kind, KindSql] = {
    "item": KindSql(
        kind="item",
        current=(
            "SELECT item_id::text AS key, NULL::text AS source, version, committee, session, "
            "status, category, classification, organizations, item_id, "
            "NULL::timestamptz AS date, updated_at, last_event_type, state, search "
            "FROM archive.items"
        ),
        type_like="workplan.item.%",
        as_of_key="e.envelope -> 'data' ->> 'item_id'",
        as_of_date="NULL::timestamptz",
        distinct="e.subject",
        order="v.updated_at DESC, v.key",
    ),
    "hearing": KindSql(
        kind="hearing",
        current=(
            "SELECT hearing_id::text AS key, NULL::text AS source, version, committee, "
            "session, status, NULL::text AS category, classification, organizations, item_id, "
            "starts_at AS date, updated_at, last_event_type, state, search FROM archive.hearings"
        ),
        type_like="workplan.hearing.%",
        as_of_key="e.envelope -> 'data' ->> 'hearing_id'",
        as_of_date="(e.envelope -> 'data' ->> 'starts_at')::timestamptz",
        distinct="e.subject",
        order="v.date DESC, v.key",
    ),
    "meeting": KindSql(
        kind="meeting",
        current=(
            "SELECT meeting_id AS key, source, version, committee, session, status, "
            "NULL::text AS category, classification, organizations, item_id, held_at AS date, "
            "updated_at, last_event_type, state, search FROM archive.meetings"
        ),
        type_like="workplan.meeting.%",
        as_of_key="e.envelope -> 'data' ->> 'meeting_id'",
        as_of_date="(e.envelope -> 'data' ->> 'held_at')::timestamptz",
        distinct="e.source, e.subject",
        order="v.date DESC, v.source, v.key",
    ),
}


def as_of_source(kind: Kind, narrow: str = "") -> str:
    """The latest event per subject with ``time <= :as_of`` (by sequence), as state."""
    spec = KIND_SQL[kind]
    return _AS_OF.format(
        distinct=spec.distinct,
        key=spec.as_of_key,
        status="'held'" if kind == "meeting" else "e.envelope -> 'data' ->> 'status'",
        category="e.envelope -> 'data' ->> 'category'" if kind == "item" else "NULL::text",
        date=spec.as_of_date,
        type_like=spec.type_like,
        narrow=narrow,
    )
