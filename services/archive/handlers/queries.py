"""Answers of the query API, composed from the log and the read models."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.archive.domain.errors import BadQuery, NotFound
from services.archive.domain.folding import query_terms
from services.archive.domain.projections import Kind
from services.archive.domain.snippets import snippet, texts_of
from services.archive.domain.text_query import MATCHES, Match, TextQuery, words_to_stem
from services.archive.domain.text_query import text_query as build_text_query
from services.archive.handlers.filters import (
    KINDS,
    Cursor,
    EventFilter,
    Page,
    StateFilter,
    Viewer,
)
from services.archive.handlers.ports import ArchiveQueries, Row

SEARCH_CANDIDATES = 100
"""Newest matches of each kind and strength that are ranked; ranking never sorts every
match."""
EVERYTHING = Page(limit=10_000)


async def text_query(queries: ArchiveQueries, text: str, *, prefix: bool = False) -> TextQuery:
    terms = query_terms(text)
    if not terms:
        raise BadQuery(f"the text query {text!r} has no words to search for")
    words = words_to_stem(terms)
    forms = dict(zip(words, await queries.word_forms(words), strict=True))
    query = build_text_query(terms, forms, prefix=prefix)
    if query is None:
        raise BadQuery(f"the text query {text!r} has only words too common to search for")
    return query


async def list_events(
    queries: ArchiveQueries, where: EventFilter, viewer: Viewer, limit: int, cursor: Cursor | None
) -> tuple[list[Row], Cursor | None]:
    """A page of events, newest first, and the cursor of the next page (if there may be one)."""
    if where.time_from and where.time_to and where.time_from > where.time_to:
        raise BadQuery("time_from is after time_to")
    tsquery = (
        (await text_query(queries, where.text, prefix=where.prefix)).broad if where.text else None
    )
    rows = await queries.events(where, viewer, tsquery=tsquery, limit=limit, cursor=cursor)
    following = Cursor(rows[-1]["time"], rows[-1]["position"]) if len(rows) == limit else None
    return rows, following


async def list_states(
    queries: ArchiveQueries, kind: Kind, where: StateFilter, viewer: Viewer, page: Page
) -> list[Row]:
    if where.date_from and where.date_to and where.date_from > where.date_to:
        raise BadQuery("date_from is after date_to")
    tsquery = (await text_query(queries, where.text)).broad if where.text else None
    return await queries.states(kind, where, viewer, page, tsquery=tsquery)


async def count_states(
    queries: ArchiveQueries, kind: Kind, where: StateFilter, viewer: Viewer
) -> int:
    """How many the whole list holds, every page (what the viewer may see)."""
    tsquery = (await text_query(queries, where.text)).broad if where.text else None
    return await queries.count_states(kind, where, viewer, tsquery=tsquery)


async def get_state(
    queries: ArchiveQueries, kind: Kind, key: str, viewer: Viewer, as_of: datetime | None
) -> Row:
    """One item, hearing or meeting, now or as of a moment; hidden restricted ones are 404."""
    where = StateFilter(as_of=as_of)
    rows = await queries.states(kind, where, viewer, Page(limit=1), tsquery=None, key=key)
    if not rows:
        moment = f" as of {as_of.isoformat()}" if as_of else ""
        raise NotFound(f"no {kind} {key}{moment}")
    return rows[0]


@dataclass(frozen=True)
class ItemDetail:
    item: Row
    hearings: list[Row]
    meetings: list[Row]
    timeline: list[Row]

    @property
    def rows(self) -> list[Row]:
        return [self.item, *self.hearings, *self.meetings, *self.timeline]


async def item_detail(
    queries: ArchiveQueries, item_id: uuid.UUID, viewer: Viewer, as_of: datetime | None
) -> ItemDetail:
    item = await get_state(queries, "item", str(item_id), viewer, as_of)
    where = StateFilter(item_id=item_id, as_of=as_of)
    return ItemDetail(
        item=item,
        hearings=await queries.states("hearing", where, viewer, EVERYTHING, tsquery=None),
        meetings=await queries.states("meeting", where, viewer, EVERYTHING, tsquery=None),
        timeline=await queries.timeline(item_id, viewer, as_of),
    )


async def search(
    queries: ArchiveQueries,
    text: str,
    viewer: Viewer,
    *,
    kinds: Sequence[str],
    where: EventFilter,
    limit: int,
) -> list[Row]:
    """One ranked list across items, hearings, meetings and events, with snippets.

    Exact matches first, then stemmed, then prefix; by ``ts_rank`` within each, newer first
    among equals; the best ``limit``, each with ``match`` (its strength) and a highlighted
    ``snippet``. Only a bounded set is ranked: per kind, see :func:`candidates`.
    """
    query = await text_query(queries, text, prefix=where.prefix)
    found: list[Row] = []
    for kind in KINDS:
        if kind in kinds:

            async def states(strength: Match, kind: Kind = kind) -> list[Row]:
                return await queries.ranked_states(
                    kind, viewer, query=query, strength=strength, candidates=SEARCH_CANDIDATES
                )

            rows = await candidates(
                states, query, limit, key=lambda row: (row["source"], row["key"])
            )
            found.extend({**row, "kind": kind, "time": row["updated_at"]} for row in rows)
    if "event" in kinds:

        async def events(strength: Match) -> list[Row]:
            return await queries.ranked_events(
                where, viewer, query=query, strength=strength, candidates=SEARCH_CANDIDATES
            )

        rows = await candidates(events, query, limit, key=lambda row: row["position"])
        found.extend({**row, "kind": "event"} for row in rows)
    found.sort(key=lambda row: (row["tier"], -float(row["rank"]), -row["time"].timestamp()))
    best = found[:limit]
    for row in best:
        if row["kind"] == "event":
            row["state"] = json.loads(row["envelope"]).get("data")
        else:
            row["state"] = json.loads(row.pop("state_json"))
        row["match"] = MATCHES[row["tier"]]
        row["snippet"] = snippet(texts_of(row.get("state")), query.highlight)
    return best


async def candidates(
    fetch: Callable[[Match], Awaitable[list[Row]]],
    query: TextQuery,
    limit: int,
    *,
    key: Callable[[Row], object],
) -> list[Row]:
    """The rows of one kind worth ranking: the newest :data:`SEARCH_CANDIDATES` matches of
    any strength; when those are cut off and hold fewer than ``limit`` stemmed-or-exact
    matches (when typing), also the newest stemmed-or-exact ones; and likewise for the
    exact ones. So newer weaker matches never crowd out stronger ones, and a query whose
    matches all fit (rare words) or whose newest matches are strong enough (common words)
    costs one statement."""
    found: dict[object, Row] = {}
    strengths = query.strengths()
    for strength, stronger in zip(strengths, [*strengths[1:], None], strict=True):
        rows = await fetch(strength)
        for row in rows:
            found.setdefault(key(row), row)
        if stronger is None or len(rows) < SEARCH_CANDIDATES:
            break  # every match of this strength is here, the stronger ones too
        tier = MATCHES.index(stronger)
        if sum(1 for row in found.values() if row["tier"] <= tier) >= limit:
            break
    return list(found.values())


async def organization_activity(
    queries: ArchiveQueries, code: str, where: StateFilter, viewer: Viewer, limit: int
) -> tuple[Row, list[Row]]:
    """The organisation's counts and its items, hearings and meetings, newest first."""
    organization = await queries.organization(code, viewer)
    if organization is None:  # the same answer whether nothing or only hidden events name it
        raise NotFound(f"no event names the organisation {code}")
    scoped = StateFilter(
        committee=where.committee,
        session=where.session,
        organization=code,
        date_from=where.date_from,
        date_to=where.date_to,
        text=where.text,
        as_of=where.as_of,
    )
    activity: list[Row] = []
    for kind in KINDS:
        for row in await list_states(queries, kind, scoped, viewer, Page(limit=limit)):
            activity.append({**row, "kind": kind})
    activity.sort(key=_activity_time, reverse=True)
    return organization, activity[:limit]


def _activity_time(row: Row) -> float:
    moment = row.get("date") or row["updated_at"]
    return float(moment.timestamp())


async def work_plan_report(
    queries: ArchiveQueries, committee: str, session: str, viewer: Viewer
) -> dict[str, Any]:
    """A session's plan: items by status, each with its hearings and meetings."""
    where = StateFilter(committee=committee, session=session)
    items = await queries.states("item", where, viewer, EVERYTHING, tsquery=None)
    if not items:
        raise NotFound(f"no items of committee {committee} in session {session}")
    linked = StateFilter(item_ids=tuple(item["item_id"] for item in items))
    hearings = await queries.states("hearing", linked, viewer, EVERYTHING, tsquery=None)
    meetings = await queries.states("meeting", linked, viewer, EVERYTHING, tsquery=None)
    by_status: dict[str, list[Row]] = {}
    for item in sorted(items, key=lambda row: (row["state"].get("ref") or "", row["key"])):
        item_id = item["item_id"]
        by_status.setdefault(item["status"] or "unknown", []).append(
            {
                **item,
                "hearings": [h for h in hearings if h["item_id"] == item_id],
                "meetings": [m for m in meetings if m["item_id"] == item_id],
            }
        )
    return {
        "committee": committee,
        "session": session,
        "items": len(items),
        "by_status": {status: len(rows) for status, rows in by_status.items()},
        "statuses": by_status,
    }


def restricted_subjects(rows: Sequence[Row]) -> list[str]:
    """What each restricted row is about, for the access log: ``item/<id>``,
    ``hearing/<id>``, ``meeting/<id>`` for a record, the subject for an event (or
    ``event/<id>`` when it has none)."""
    subjects = []
    for row in rows:
        if not row.get("restricted"):
            continue
        kind = row.get("kind")
        if kind in KINDS:
            subjects.append(f"{kind}/{row['key']}")
        else:
            subjects.append(row.get("subject") or f"event/{row['event_id']}")
    return subjects
