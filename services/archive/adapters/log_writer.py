"""The batched writer: inbox, log and read models of many events in one statement.

Written with asyncpg directly (arrays passed to ``unnest``), so a batch of a few hundred
events costs a few milliseconds, and a batch of one a single round trip: the inbox rows,
the log rows, the read models and the organisations' counts are one statement of
data-modifying ``WITH`` queries, atomic by itself (no ``BEGIN``/``COMMIT``); the read
models and counts take what they need from the log rows that statement wrote
(``RETURNING``), so a repeat changes nothing. The search document is built by PostgreSQL
from the text :mod:`services.archive.domain.records` prepared: the folded text with the
``simple`` configuration (titles weigh A, the rest B), and the other forms of its words,
marked: English and Russian text through their stemmers, the Azerbaijani stems as
prepared. Read models take their snapshot and search document from the log row of the
event they apply.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import asyncpg

from services.archive.adapters.orm import NO_ITEM
from services.archive.domain.morphology import STEM_MARK
from services.archive.domain.projections import Projection
from services.archive.domain.records import ArchivedEvent
from shared.db.pool import keep_session

log = logging.getLogger(__name__)

SERVER_SETTINGS = {"application_name": "archive-ingest", "plan_cache_mode": "force_custom_plan"}
"""For a rebuild: its statements run once each, over the whole log."""
INGEST_SETTINGS = {"application_name": "archive-ingest", "plan_cache_mode": "auto", "jit": "off"}
"""For ingest: one statement run over and over, on a few rows, best planned once."""
DEADLOCK_RETRIES = 5

SEARCH_DOCUMENT = f"""
    setweight(to_tsvector('simple', b.title), 'A')
    || setweight(to_tsvector('simple', b.body), 'B')
    || array_to_tsvector(
        ARRAY(
            SELECT '{STEM_MARK}' || stem FROM unnest(tsvector_to_array(
                to_tsvector('english', b.english) || to_tsvector('russian', b.russian)
            )) AS stem
        ) || array_remove(string_to_array(b.stems, ' '), '')
    )
"""  # noqa: S608 - a constant of the domain, no input
"""Words as written (folded): weight A in the title, B elsewhere. Their other forms (English
and Russian stems, Azerbaijani stems), marked (``STEM_MARK``), without positions (they rank
as weight D)."""

_LOGGED = f"""
batch AS (
    SELECT * FROM unnest(
        $1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::bigint[],
        $7::boolean[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
        $13::uuid[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[],
        $19::text[]
    ) WITH ORDINALITY AS b(
        source, event_id, type, subject, time, sequence, known, mode, committee, session,
        organizations, classification, item_id, envelope, title, body, english, russian,
        stems, ord
    )
),
fresh AS (
    INSERT INTO archive.inbox (source, event_id, type)
    SELECT source, event_id, type FROM batch ORDER BY source, event_id
    ON CONFLICT DO NOTHING
    RETURNING source, event_id
),
logged AS (
INSERT INTO archive.events (
    time, source, event_id, type, subject, sequence, known, mode, committee, session,
    organizations, classification, item_id, envelope, search
)
SELECT
    b.time, b.source, b.event_id, b.type, b.subject, b.sequence, b.known, b.mode,
    b.committee, b.session, coalesce(string_to_array(nullif(b.organizations, ''), ' '), '{{}}'),
    b.classification, b.item_id, b.envelope::json, {SEARCH_DOCUMENT}
FROM batch b JOIN fresh f ON f.source = b.source AND f.event_id = b.event_id
ORDER BY b.ord
RETURNING source, event_id, time, position, envelope, search
)"""  # noqa: S608 - no input is formatted in, only the constant search expression

_PROJECTED = """
    SELECT * FROM unnest(
        $1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[],
        $8::text[], $9::text[], $10::uuid[], $11::timestamptz[], $12::timestamptz[],
        $13::text[], $14::timestamptz[], $15::bigint[]
    ) AS p(
        key, source, version, committee, session, status, category, classification,
        organizations, item_id, starts_at, ends_at, event_type, time, position
    )
"""

_COMMON_COLUMNS = (
    "version, committee, session, status, classification, organizations, state, "
    "last_event_type, updated_at, event_position, search"
)
_COMMON_VALUES = (
    "p.version, p.committee, p.session, p.status, p.classification, "
    "coalesce(string_to_array(nullif(p.organizations, ''), ' '), '{}'), "
    "coalesce((e.envelope -> 'data')::jsonb, '{}'::jsonb), p.event_type, p.time, p.position, "
    "e.search"
)
_REPLAYED = f"({_PROJECTED}) p JOIN archive.events e ON e.time = p.time AND e.position = p.position"
"""Projections of events read back from the log (a rebuild): joined to their log rows."""

_INGESTED_PROJECTIONS = """
projected AS (
    SELECT p.*, e.time, e.position FROM unnest(
        $20::text[], $21::text[], $22::text[], $23::text[], $24::text[], $25::bigint[],
        $26::text[], $27::text[], $28::text[], $29::text[], $30::text[], $31::text[],
        $32::uuid[], $33::timestamptz[], $34::timestamptz[], $35::text[]
    ) AS p(
        event_source, event_id, kind, key, source, version, committee, session, status,
        category, classification, organizations, item_id, starts_at, ends_at, event_type
    )
    JOIN logged e ON e.source = p.event_source AND e.event_id = p.event_id
)"""
"""Projections of the events this statement logged (a repeat is not logged, so not applied)."""


def _upsert(table: str, key_columns: str, key_values: str, extra: dict[str, str], rows: str) -> str:
    columns = f"{key_columns}, {_COMMON_COLUMNS}, {', '.join(extra)}"
    values = f"{key_values}, {_COMMON_VALUES}, {', '.join(extra.values())}"
    updated = [*_COMMON_COLUMNS.split(", "), *extra]
    assignments = ", ".join(f"{column} = excluded.{column}" for column in updated)
    return f"""
    INSERT INTO archive.{table} AS t ({columns})
    SELECT {values}
    FROM {rows}
    ORDER BY {key_values}
    ON CONFLICT ({key_columns}) DO UPDATE SET {assignments}
    WHERE t.version < excluded.version
       OR (t.version = excluded.version AND excluded.event_position < t.event_position)
    """  # noqa: S608 - table and column names are constants of this module


def _upserts(rows: dict[str, str]) -> dict[str, str]:
    """The read-model upsert of each kind, of the projected ``rows`` of that kind."""
    return {
        "item": _upsert(
            "items", "item_id", "p.key::uuid", {"category": "p.category"}, rows["item"]
        ),
        "hearing": _upsert(
            "hearings",
            "hearing_id",
            "p.key::uuid",
            {"item_id": "p.item_id", "starts_at": "p.starts_at", "ends_at": "p.ends_at"},
            rows["hearing"],
        ),
        "meeting": _upsert(
            "meetings",
            "source, meeting_id",
            "p.source, p.key",
            {"item_id": "p.item_id", "held_at": "p.starts_at"},
            rows["meeting"],
        ),
    }


UPSERTS = _upserts(dict.fromkeys(("item", "hearing", "meeting"), _REPLAYED))
"""For a rebuild: one statement per kind."""

_COUNTED_ORGANIZATIONS = """
counted AS (
    INSERT INTO archive.organizations AS t (
        code, item_id, classification, first_event_at, last_event_at, events
    )
    SELECT o.code, o.item_id, o.classification, min(e.time), max(e.time), count(*)
    FROM unnest($36::text[], $37::uuid[], $38::text[], $39::text[], $40::text[])
        AS o(code, item_id, classification, event_source, event_id)
    JOIN logged e ON e.source = o.event_source AND e.event_id = o.event_id
    GROUP BY o.code, o.item_id, o.classification ORDER BY o.code, o.item_id, o.classification
    ON CONFLICT (code, item_id, classification) DO UPDATE SET
        first_event_at = least(t.first_event_at, excluded.first_event_at),
        last_event_at = greatest(t.last_event_at, excluded.last_event_at),
        events = t.events + excluded.events
)"""
"""Each new event counted for every organisation it names (a repeat is not counted)."""

_INGESTED_UPSERTS = _upserts(
    {
        kind: "projected p JOIN logged e ON e.source = p.event_source AND e.event_id = p.event_id"
        f" WHERE p.kind = '{kind}'"
        for kind in ("item", "hearing", "meeting")
    }
)

INGEST = f"""
WITH {_LOGGED},
{_INGESTED_PROJECTIONS},
items AS ({_INGESTED_UPSERTS["item"]}),
hearings AS ({_INGESTED_UPSERTS["hearing"]}),
meetings AS ({_INGESTED_UPSERTS["meeting"]}),
{_COUNTED_ORGANIZATIONS}
SELECT source, event_id FROM logged
"""  # noqa: S608 - built from the constants of this module
"""A whole batch in one statement: inbox, log, read models, organisations' counts."""


class SqlArchiveWriter:
    """Appends batches to the log and applies them to the read models (implements the port)."""

    def __init__(self, dsn: str, *, pool_size: int = 2) -> None:
        self._dsn = dsn
        self._pool_size = pool_size
        self._pool: asyncpg.Pool | None = None
        self._months: set[tuple[int, int]] = set()

    async def start(self) -> None:
        self._pool = await asyncpg.create_pool(
            self._dsn,
            min_size=self._pool_size,
            max_size=self._pool_size,
            # kept open while events trickle or pause: a connection opened again, and its
            # ingest statement planned again, delayed the batch that needed it
            max_inactive_connection_lifetime=0,
            server_settings=INGEST_SETTINGS,
            reset=keep_session,  # no round trip per batch to reset what nothing changed
        )

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
        self._pool = None

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("the archive writer is not started")
        return self._pool

    async def append(
        self, records: Sequence[ArchivedEvent], projections: Sequence[Projection]
    ) -> set[tuple[str, str]]:
        """Write the events not seen before and apply the projections; returns the new keys."""
        await self._ensure_partitions(record.time for record in records)
        arguments = [
            *_log_columns(records),
            *_ingested_projection_columns(projections),
            *_organization_columns(records),
        ]
        for attempt in range(DEADLOCK_RETRIES):
            try:
                async with self.pool.acquire() as connection:
                    rows = await connection.fetch(INGEST, *arguments)
                return {(row["source"], row["event_id"]) for row in rows}
            except asyncpg.DeadlockDetectedError:
                if attempt == DEADLOCK_RETRIES - 1:
                    raise
                log.info("deadlock between archive batches; retrying")
                await asyncio.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _ensure_partitions(self, times: Iterable[datetime]) -> None:
        missing = {}
        for moment in times:
            utc = moment.astimezone(UTC)
            month = (utc.year, utc.month)
            if month not in self._months:
                missing[month] = moment
        if not missing:
            return
        async with self.pool.acquire() as connection:
            await connection.execute(
                "SELECT archive.ensure_event_partition(m) FROM unnest($1::timestamptz[]) m",
                list(missing.values()),
            )
        self._months.update(missing)


async def apply_projections(
    connection: asyncpg.Connection, applied: Sequence[tuple[Projection, datetime, int]]
) -> None:
    """Upsert read-model rows; a row changes only when the event's version is higher."""
    for kind, statement in UPSERTS.items():
        chosen = [entry for entry in applied if entry[0].kind == kind]
        if chosen:
            await connection.execute(statement, *_projection_columns(chosen))


def _log_columns(records: Sequence[ArchivedEvent]) -> list[list[object]]:
    rows = (
        (
            record.source,
            record.event_id,
            record.type,
            record.subject,
            record.time,
            record.sequence,
            record.known,
            record.mode,
            record.committee,
            record.session,
            " ".join(record.organizations),
            record.classification,
            record.item_id,
            record.envelope,
            *record.search,
        )
        for record in records
    )
    return _as_columns(rows, width=19)


def _ingested_projection_columns(projections: Sequence[Projection]) -> list[list[object]]:
    rows = (
        (
            *projection.event_key,
            projection.kind,
            projection.key,
            projection.source,
            projection.version,
            projection.committee,
            projection.session,
            projection.status,
            projection.category,
            projection.classification,
            " ".join(projection.organizations),
            projection.item_id,
            projection.starts_at,
            projection.ends_at,
            projection.event_type,
        )
        for projection in projections
    )
    return _as_columns(rows, width=16)


def _organization_columns(records: Sequence[ArchivedEvent]) -> list[list[object]]:
    """One row per organisation an event names (counted if the event is new)."""
    rows = (
        (code, record.item_id or NO_ITEM, record.classification, record.source, record.event_id)
        for record in records
        for code in record.organizations
    )
    return _as_columns(rows, width=5)


def _projection_columns(
    applied: Sequence[tuple[Projection, datetime, int]],
) -> list[list[object]]:
    rows = (
        (
            projection.key,
            projection.source,
            projection.version,
            projection.committee,
            projection.session,
            projection.status,
            projection.category,
            projection.classification,
            " ".join(projection.organizations),
            projection.item_id,
            projection.starts_at,
            projection.ends_at,
            projection.event_type,
            time,
            position,
        )
        for projection, time, position in applied
    )
    return _as_columns(rows, width=15)


def _as_columns(rows: Iterable[Sequence[object]], *, width: int) -> list[list[object]]:
    """Rows turned into the column arrays a statement's ``unnest`` takes (``width`` empty
    arrays when there are no rows)."""
    columns = [list(column) for column in zip(*rows, strict=True)]
    if not columns:
        return [[] for _ in range(width)]
    if len(columns) != width:
        raise ValueError(f"rows of {len(columns)} values where {width} columns are taken")
    return columns
