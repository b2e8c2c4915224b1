"""The archive's rules without infrastructure: folding, snippets, records, order per subject."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from services.archive.domain.folding import az_lower, fold, query_terms
from services.archive.domain.projections import Projection, latest, supersedes
from services.archive.domain.records import ArchivedEvent, archived, search_text
from services.archive.domain.snippets import Highlight, snippet
from services.archive.domain.text_query import TextQuery, WordForms, text_query
from services.archive.handlers.ingest import archive_batch
from services.archive.handlers.queries import candidates
from shared.contract import InvalidEvent
from shared.contract.amqp_binding import encode_structured
from tests.archive.events import custom_event, hearing_rescheduled, hearing_scheduled, item_created

T0 = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "lowered", "folded"),
    [
        ("İstanbul", "istanbul", "istanbul"),
        ("IRAQ", "ıraq", "iraq"),
        ("Xocalı", "xocalı", "xocali"),
        ("ŞƏKİ Gəncə", "şəki gəncə", "seki gence"),
        ("Ёлка Встреча", "ёлка встреча", "елка встреча"),
    ],
)
def test_azerbaijani_lower_casing_and_folding(text, lowered, folded):
    assert az_lower(text) == lowered
    assert fold(text) == folded
    assert fold(text.lower()) == folded or "I" in text  # plain lower() loses the dotless ı


def test_query_terms_are_the_words_of_the_query():
    assert query_terms("  Xocalı, «встреча»!  PACE-2026 ") == ["Xocalı", "встреча", "PACE", "2026"]
    assert query_terms("!!! ---") == []


def test_snippets_mark_folded_and_stemmed_matches_and_escape_the_rest():
    text = "Görüş <b>Xocalı</b> barədə; встречи и Meetings"
    assert (
        snippet([text], Highlight(frozenset({"xocali"})))
        == "Görüş &lt;b&gt;<mark>Xocalı</mark>&lt;/b&gt; barədə; встречи и Meetings"
    )
    assert "<mark>встречи</mark>" in (
        snippet([text], Highlight(frozenset({"встреча"}), frozenset({"встреч"}))) or ""
    )
    assert "<mark>Meetings</mark>" in (
        snippet([text], Highlight(frozenset({"meeting"}), frozenset({"meet"}))) or ""
    )
    assert snippet([text], Highlight(frozenset({"absent"}))) is None


def test_search_text_takes_every_language_and_skips_ids_and_codes():
    found = search_text(
        {
            "item_id": str(uuid.uuid4()),
            "title": {"az": "Xocalı", "en": "Khojaly", "ru": "Ходжалы"},
            "status": "planned",
            "witnesses": [{"name": "A. Aliyeva", "position": "Researcher"}],
            "held_at": "2026-02-18T10:00:00+04:00",
        }
    )
    assert found.title == ["Xocalı", "Khojaly", "Ходжалы"]
    assert (found.title_en, found.title_ru) == (["Khojaly"], ["Ходжалы"])
    assert found.body == ["A. Aliyeva", "Researcher"]


def test_a_known_type_with_invalid_data_is_refused_with_the_field():
    event = custom_event("urn:x", "workplan.hearing.cancelled.v1", {"hearing_id": "x"}, time=T0)
    with pytest.raises(InvalidEvent) as refused:
        archived(event, body=encode_structured(event), mode="structured", received_at=T0)
    assert refused.value.code == "invalid_data"
    assert "hearing_id" in refused.value.reason


def test_an_unknown_type_is_kept_with_fields_read_best_effort():
    item_id = uuid.uuid4()
    data = {
        "item_id": str(item_id),
        "classification": "restricted",
        "organizations": ["PACE", "bad"],
    }
    event = custom_event("urn:x", "workplan.item.archived.v2", data, time=T0)
    record = archived(event, body=encode_structured(event), mode="structured", received_at=T0)
    assert (record.known, record.projection) == (False, None)
    assert (record.item_id, record.classification, record.organizations) == (
        item_id,
        "restricted",
        ("PACE",),
    )


def test_binary_mode_keeps_the_data_text_as_received():
    event = item_created(uuid.uuid4(), time=T0)
    body = b'{ "spaced" :  true }'
    record = archived(event, body=body, mode="binary", received_at=T0)
    assert record.envelope.endswith(',"data":{ "spaced" :  true }}')
    assert json.loads(record.envelope)["id"] == event.id


def projection(event, time=T0) -> Projection:
    record = archived(event, body=encode_structured(event), mode="structured", received_at=time)
    assert record.projection is not None
    return record.projection


def test_the_highest_sequence_per_subject_wins_whatever_the_order():
    hearing_id, item_id = uuid.uuid4(), uuid.uuid4()
    first = projection(hearing_scheduled(hearing_id, item_id, time=T0))
    third = projection(hearing_rescheduled(hearing_id, item_id, sequence=3, time=T0))
    other = projection(item_created(item_id, time=T0))
    for order in ([first, third, other], [third, other, first]):
        chosen = {p.identity: p.version for p in latest(order)}
        assert chosen == {third.identity: 3, other.identity: 1}


def test_an_equal_or_lower_version_never_replaces_the_applied_one():
    assert supersedes(1, 10, None)
    assert supersedes(3, 10, (2, 5))
    assert not supersedes(2, 10, (3, 5))  # stale
    assert not supersedes(3, 10, (3, 5))  # same version, logged later
    assert supersedes(3, 4, (3, 5))  # same version, logged earlier (rebuild in any order)


class RecordingWriter:
    def __init__(self, seen: set[tuple[str, str]]) -> None:
        self.seen = seen
        self.calls: list[tuple[list[ArchivedEvent], list[Projection]]] = []

    async def append(
        self, records: Sequence[ArchivedEvent], projections: Sequence[Projection]
    ) -> set[tuple[str, str]]:
        self.calls.append((list(records), list(projections)))
        return {record.key for record in records if record.key not in self.seen}


async def test_a_batch_stores_each_event_once_and_projects_the_latest_per_subject():
    hearing_id, item_id = uuid.uuid4(), uuid.uuid4()
    scheduled = hearing_scheduled(hearing_id, item_id, time=T0)
    moved = hearing_rescheduled(hearing_id, item_id, sequence=2, time=T0)
    old = item_created(item_id, time=T0)
    records = [
        archived(e, body=encode_structured(e), mode="structured", received_at=T0)
        for e in (moved, scheduled, moved, old)
    ]
    writer = RecordingWriter(seen={old.key})
    outcomes = await archive_batch(records, writer)
    assert outcomes == ["applied", "applied", "duplicate", "duplicate"]
    [(written, projected)] = writer.calls
    assert [r.event_id for r in written] == [moved.id, scheduled.id, old.id]
    assert sorted((p.kind, p.version) for p in projected) == [("hearing", 2), ("item", 1)]


def tiered_query(*, prefix: bool) -> TextQuery:
    forms = {"xocal": WordForms(("xocal",))}
    query = text_query(["xocal"], forms, prefix=prefix)
    assert query is not None
    return query


def fetcher(rows_by_strength: dict[str, list[dict]]):
    asked: list[str] = []

    async def fetch(strength: str) -> list[dict]:
        asked.append(strength)
        return rows_by_strength[strength]

    return fetch, asked


def rows(tiers: list[int], start: int = 0) -> list[dict]:
    return [{"position": start + n, "tier": tier} for n, tier in enumerate(tiers)]


async def test_ranking_candidates_take_one_query_when_the_newest_matches_suffice():
    few = rows([1, 0, 1])  # every match fits: nothing older is missing
    fetch, asked = fetcher({"prefix": few})
    found = await candidates(fetch, tiered_query(prefix=False), 20, key=lambda r: r["position"])
    assert (found, asked) == (few, ["prefix"])
    strong = rows([0, 1] * 50)  # cut off, but with enough exact ones
    fetch, asked = fetcher({"prefix": strong})
    found = await candidates(fetch, tiered_query(prefix=False), 20, key=lambda r: r["position"])
    assert (len(found), asked) == (100, ["prefix"])


async def test_newer_weaker_matches_never_crowd_out_the_stronger_ones():
    newest = rows([2] * 99 + [1])  # the newest 100: prefix matches but one
    stemmed = rows([1] * 98 + [0, 0], start=99)  # the newest 100 stemmed-or-exact ones
    exact = rows([0] * 30, start=197)
    fetch, asked = fetcher({"prefix": newest, "stemmed": stemmed, "exact": exact})
    found = await candidates(fetch, tiered_query(prefix=True), 20, key=lambda r: r["position"])
    assert asked == ["prefix", "stemmed", "exact"]
    assert sum(1 for row in found if row["tier"] == 0) == 30
    assert len(found) == 227  # each row once: positions 0 … 226
