"""The archive's reads on PostgreSQL: the log, the read models, "as of" state, search.

Text search stays fast on a large log because the log is partitioned by month of event
time and every query asks for the newest matches first with a limit: PostgreSQL walks
the partitions newest first and stops when the limit is filled, and in each partition
picks, with the statistics of that partition and the real query values
(``plan_cache_mode=force_custom_plan``), either the time index (common words) or the
full-text index (rare words). Ranking never sorts all matches: only a bounded set of the
newest candidates is ranked (see :func:`services.archive.handlers.queries.search`).
"""

# ruff: noqa: S608 - SQL is assembled from this module's constants; every value is a bound parameter

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.archive.adapters.state_sql import (
    KIND_SQL,
    as_of_source,
    effective_classification,
    restricted,
)
from services.archive.domain.folding import fold
from services.archive.domain.projections import Kind
from services.archive.domain.text_query import Match, TextQuery, WordForms
from services.archive.handlers.filters import Cursor, EventFilter, Page, StateFilter, Viewer

Row = dict[str, Any]

EVENT_COLUMNS = (
    "e.position, e.time, e.received_at, e.source, e.event_id, e.type, e.subject, e.sequence, "
    f"e.known, e.mode, e.committee, e.session, e.organizations, "
    f"{effective_classification('e')} AS classification, e.item_id, "
    f"e.envelope::text AS envelope, {restricted('e')} AS restricted"
)
STATE_COLUMNS = (
    "v.key, v.source, v.version, v.committee, v.session, v.status, v.category, "
    f"{effective_classification('v')} AS classification, v.organizations, v.item_id, v.date, "
    f"v.updated_at, v.last_event_type, v.state, {restricted('v')} AS restricted"
)

RANKED_STATE_COLUMNS = STATE_COLUMNS.replace("v.state,", "v.state::text AS state_json,")
"""Ranked candidates leave the state as JSON text: only the few returned are decoded."""


class SqlArchiveQueries:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def _fetch(self, sql: str, params: dict[str, Any]) -> list[Row]:
        async with self._engine.connect() as connection:
            result = await connection.execute(text(sql), params)
            return [dict(row._mapping) for row in result]

    async def word_forms(self, words: Sequence[str]) -> list[WordForms]:
        """Each word folded and split as the ``simple`` configuration does, and stemmed by
        the ``english`` and ``russian`` ones, in one round trip."""
        rows = await self._fetch(
            WORD_FORMS, {"folded": [fold(word) for word in words], "raw": list(words)}
        )
        return [
            WordForms(tuple(row["words"]), tuple(row["english"]), tuple(row["russian"]))
            for row in rows
        ]

    # --- the log -------------------------------------------------------------------------

    async def events(
        self,
        where: EventFilter,
        viewer: Viewer,
        *,
        tsquery: str | None,
        limit: int,
        cursor: Cursor | None = None,
        oldest_first: bool = False,
    ) -> list[Row]:
        conditions, params = _event_conditions(where, viewer, tsquery)
        direction = "ASC" if oldest_first else "DESC"
        if cursor is not None:
            comparison = ">" if oldest_first else "<"
            conditions.append(f"(e.time, e.position) {comparison} (:cursor_time, :cursor_position)")
            params.update(cursor_time=cursor.time, cursor_position=cursor.position)
        sql = (
            f"SELECT {EVENT_COLUMNS} FROM archive.events e "
            f"WHERE {' AND '.join(conditions) or 'true'} "
            f"ORDER BY e.time {direction}, e.position {direction} LIMIT :limit"
        )
        return await self._fetch(sql, {**params, "limit": limit})

    async def ranked_events(
        self,
        where: EventFilter,
        viewer: Viewer,
        *,
        query: TextQuery,
        strength: Match,
        candidates: int,
    ) -> list[Row]:
        conditions, params = _event_conditions(where, viewer, query.of_strength(strength))
        sql = (
            f"SELECT c.*, {TIER} AS tier, ts_rank(c.search, CAST(:broad AS tsquery)) AS rank "
            f"FROM (SELECT {EVENT_COLUMNS}, e.search "
            f"FROM archive.events e WHERE {' AND '.join(conditions)} "
            "ORDER BY e.time DESC, e.position DESC LIMIT :limit) c"
        )
        return await self._fetch(sql, {**params, **_tier_params(query), "limit": candidates})

    # --- items, hearings, meetings ------------------------------------------------------

    async def states(
        self,
        kind: Kind,
        where: StateFilter,
        viewer: Viewer,
        page: Page,
        *,
        tsquery: str | None,
        key: str | None = None,
    ) -> list[Row]:
        source, conditions, params = _state_source(kind, where, viewer, tsquery, key)
        sql = (
            f"SELECT '{kind}' AS kind, {STATE_COLUMNS} FROM ({source}) v "
            f"WHERE {' AND '.join(conditions) or 'true'} ORDER BY {KIND_SQL[kind].order} "
            "LIMIT :limit OFFSET :offset"
        )
        return await self._fetch(sql, {**params, "limit": page.limit, "offset": page.offset})

    async def count_states(
        self, kind: Kind, where: StateFilter, viewer: Viewer, *, tsquery: str | None
    ) -> int:
        """How many rows :meth:`states` would give over all its pages."""
        source, conditions, params = _state_source(kind, where, viewer, tsquery, None)
        matching = " AND ".join(conditions) or "true"
        rows = await self._fetch(
            f"SELECT count(*) AS total FROM ({source}) v WHERE {matching}", params
        )
        return int(rows[0]["total"])

    async def ranked_states(
        self,
        kind: Kind,
        viewer: Viewer,
        *,
        query: TextQuery,
        strength: Match,
        candidates: int,
    ) -> list[Row]:
        source, conditions, params = _state_source(
            kind, StateFilter(), viewer, query.of_strength(strength)
        )
        sql = (
            f"SELECT c.*, {TIER} AS tier, ts_rank(c.search, CAST(:broad AS tsquery)) AS rank "
            f"FROM (SELECT '{kind}' AS kind, {RANKED_STATE_COLUMNS}, v.search "
            f"FROM ({source}) v WHERE {' AND '.join(conditions)} "
            "ORDER BY v.updated_at DESC LIMIT :limit) c"
        )
        return await self._fetch(sql, {**params, **_tier_params(query), "limit": candidates})

    async def timeline(
        self, item_id: uuid.UUID, viewer: Viewer, as_of: datetime | None
    ) -> list[Row]:
        """Every event about an item: its own, its hearings', its meetings', oldest first."""
        where = EventFilter(item_id=item_id, time_to=as_of)
        return await self.events(where, viewer, tsquery=None, limit=10_000, oldest_first=True)

    # --- organisations ------------------------------------------------------------------

    async def organization(self, code: str, viewer: Viewer) -> Row | None:
        """How many events name the organisation, and when the first and last happened:
        only those the viewer may see count (``None`` when there are none)."""
        visible = "" if viewer.cleared else f"AND NOT {restricted('o')}"
        rows = await self._fetch(
            "SELECT CAST(:code AS text) AS code, min(o.first_event_at) AS first_event_at, "
            "max(o.last_event_at) AS last_event_at, sum(o.events)::bigint AS events "
            f"FROM archive.organizations o WHERE o.code = :code {visible} HAVING count(*) > 0",
            {"code": code},
        )
        return rows[0] if rows else None


WORD_FORMS = """
SELECT
    ARRAY(SELECT u.lexeme FROM unnest(to_tsvector('simple', t.folded)) u
          ORDER BY u.positions[1]) AS words,
    ARRAY(SELECT u.lexeme FROM unnest(to_tsvector('english', t.raw)) u) AS english,
    ARRAY(SELECT u.lexeme FROM unnest(to_tsvector('russian', t.raw)) u) AS russian
FROM unnest(CAST(:folded AS text[]), CAST(:raw AS text[])) WITH ORDINALITY AS t(folded, raw, n)
ORDER BY t.n
"""
TIER = (
    "CASE WHEN c.search @@ CAST(:exact AS tsquery) THEN 0 "
    "WHEN c.search @@ CAST(:stemmed AS tsquery) THEN 1 ELSE 2 END"
)


def _tier_params(query: TextQuery) -> dict[str, str]:
    return {"exact": query.exact, "stemmed": query.stemmed, "broad": query.broad}


def _event_conditions(
    where: EventFilter, viewer: Viewer, tsquery: str | None
) -> tuple[list[str], dict[str, Any]]:
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if where.types:
        alternatives = []
        for index, wanted in enumerate(where.types):
            if wanted.endswith("*"):
                alternatives.append(f"e.type LIKE :type{index}")
                params[f"type{index}"] = _like_prefix(wanted[:-1])
            else:
                alternatives.append(f"e.type = :type{index}")
                params[f"type{index}"] = wanted
        conditions.append(f"({' OR '.join(alternatives)})")
    for column, value in (
        ("source", where.source),
        ("subject", where.subject),
        ("item_id", where.item_id),
        ("known", where.known),
    ):
        if value is not None:
            conditions.append(f"e.{column} = :{column}")
            params[column] = value
    if where.time_from is not None:
        conditions.append("e.time >= :time_from")
        params["time_from"] = where.time_from
    if where.time_to is not None:
        conditions.append("e.time <= :time_to")
        params["time_to"] = where.time_to
    if where.organization is not None:
        conditions.append("e.organizations @> ARRAY[CAST(:organization AS text)]")
        params["organization"] = where.organization
    if tsquery is not None:
        conditions.append("e.search @@ CAST(:tsquery AS tsquery)")
        params["tsquery"] = tsquery
    if not viewer.cleared:
        conditions.append(f"NOT {restricted('e')}")
    return conditions, params


def _state_source(
    kind: Kind, where: StateFilter, viewer: Viewer, tsquery: str | None, key: str | None = None
) -> tuple[str, list[str], dict[str, Any]]:
    params: dict[str, Any] = {}
    conditions: list[str] = []
    if key is not None:
        conditions.append("v.key = :key")
        params["key"] = key
    if where.as_of is not None:
        narrow = ""
        if key is not None and kind != "meeting":
            narrow = "AND e.subject = :subject"
            params["subject"] = f"{kind}/{key}"
        elif where.item_id is not None:
            narrow = "AND e.item_id = :item_id"
        source = as_of_source(kind, narrow)
        params["as_of"] = where.as_of
    else:
        source = KIND_SQL[kind].current
    for column, value in (
        ("committee", where.committee),
        ("session", where.session),
        ("status", where.status),
        ("category", where.category),
        ("item_id", where.item_id),
    ):
        if value is not None:
            conditions.append(f"v.{column} = :{column}")
            params[column] = value
    if where.organization is not None:
        conditions.append("v.organizations @> ARRAY[CAST(:organization AS text)]")
        params["organization"] = where.organization
    if where.item_ids is not None:
        conditions.append("v.item_id = ANY(CAST(:item_ids AS uuid[]))")
        params["item_ids"] = list(where.item_ids)
    conditions.extend(_date_conditions(kind, where, params))
    if tsquery is not None:
        conditions.append("v.search @@ CAST(:tsquery AS tsquery)")
        params["tsquery"] = tsquery
    if not viewer.cleared:
        conditions.append(f"NOT {restricted('v')}")
    return source, conditions, params


def _date_conditions(kind: Kind, where: StateFilter, params: dict[str, Any]) -> list[str]:
    conditions = []
    if kind == "item":  # the item's target period overlaps the range
        if where.date_from is not None:
            conditions.append(
                "coalesce((v.state ->> 'period_end')::date, 'infinity'::date) >= :date_from"
            )
            params["date_from"] = _as_date(where.date_from)
        if where.date_to is not None:
            conditions.append(
                "coalesce((v.state ->> 'period_start')::date, '-infinity'::date) <= :date_to"
            )
            params["date_to"] = _as_date(where.date_to)
        return conditions
    if where.date_from is not None:
        conditions.append("v.date >= :date_from")
        params["date_from"] = _as_moment(where.date_from)
    if where.date_to is not None:
        conditions.append("v.date <= :date_to")
        params["date_to"] = _as_moment(where.date_to, end=True)
    return conditions


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _as_moment(value: date | datetime, *, end: bool = False) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time.max if end else time.min, tzinfo=UTC)


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"
