"""Search quality on the corpus of work-plan sentences, against the real PostgreSQL:
recall ≥ 95% and precision ≥ 90% through ``/search`` and ``/events?q=``."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from services.archive.adapters.log_writer import SqlArchiveWriter
from services.archive.domain.records import archived
from shared.contract.amqp_binding import encode_structured
from shared.db.engine import asyncpg_dsn
from tests.archive.events import item_created
from tests.archive.search_corpus import QUERIES, archive_corpus, evaluate, expected_documents


@pytest.fixture
async def corpus_client(archive_app, archive_settings, reader):
    writer = SqlArchiveWriter(asyncpg_dsn(archive_settings.database_url.get_secret_value()))
    await writer.start()
    try:
        await archive_corpus(writer)
    finally:
        await writer.close()
    transport = httpx.ASGITransport(app=archive_app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://archive", headers=reader
    ) as client:
        yield client


def test_every_query_expects_something():
    assert all(expected_documents(query) for query in QUERIES)


@pytest.mark.parametrize("endpoint", ["/api/v1/search", "/api/v1/events"])
async def test_the_corpus_is_found_with_high_recall_and_precision(corpus_client, endpoint):
    figures = await evaluate(corpus_client, endpoint)
    print(figures.report())
    assert figures.recall() >= 0.95, figures.report()
    assert figures.precision() >= 0.90, figures.report()
    for language in ("az", "en", "ru", "prefix"):
        assert figures.recall(language) >= 0.9, figures.report()
        assert figures.precision(language) >= 0.8, figures.report()


async def search(client, **params) -> list[dict]:
    response = await client.get("/api/v1/search", params={"kind": "item", "limit": 200, **params})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    ("query", "marked"),
    [
        ("xocali", {"Xocalıya", "Xocalının", "Xocalıda", "Xocalı"}),
        ("istanbul", {"İstanbulda", "İstanbula", "İstanbulun", "Istanbul"}),
        ("komitə", {"komitəsi", "Komitənin", "Komitə", "Komitəsinin"}),
        ("парламент", {"парламентской", "Парламент", "парламентских"}),
        ("парламентской", {"парламентской", "Парламент", "парламентских"}),
        ("hearing", {"hearings", "hearing"}),
        ("hearings", {"hearings", "hearing"}),
    ],
)
async def test_the_issue_examples_are_found_and_highlighted(corpus_client, query, marked):
    results = await search(corpus_client, q=query)
    highlighted = {
        word for row in results for word in re.findall(r"<mark>(.*?)</mark>", row["snippet"])
    }
    assert marked <= highlighted, highlighted


async def test_exact_matches_rank_first_then_stemmed_then_prefix(corpus_client):
    results = await search(corpus_client, q="parlament", prefix="true")
    tiers = [row["match"] for row in results]
    assert tiers == sorted(tiers, key=["exact", "stemmed", "prefix"].index)
    by_tier: dict[str, set[str]] = {}
    for row in results:
        words = {w.lower() for w in re.findall(r"<mark>(.*?)</mark>", row["snippet"])}
        by_tier.setdefault(row["match"], set()).update(words)
    assert by_tier["exact"] >= {"parlament"}
    assert by_tier["stemmed"] >= {"parlamentin", "parlamentdəki", "parlamentinə"}
    assert by_tier["prefix"] == {"parlamentlərarası"}
    for tier in ("exact", "stemmed", "prefix"):
        ranks = [row["rank"] for row in results if row["match"] == tier]
        assert ranks == sorted(ranks, reverse=True)


async def test_prefix_search_as_you_type_with_a_minimum_length(corpus_client):
    assert await search(corpus_client, q="diaspo") == []
    typed = await search(corpus_client, q="diaspo", prefix="true")
    assert {row["match"] for row in typed} == {"prefix"}
    marked = {w for row in typed for w in re.findall(r"<mark>(.*?)</mark>", row["snippet"])}
    assert marked == {"Diaspora", "diaspora", "Diaspor", "Diasporamızın"}
    events = await corpus_client.get("/api/v1/events", params={"q": "diaspo", "prefix": "true"})
    assert len(events.json()) == len(typed)
    # the words before the last are whole words; a last word under three letters too
    both = await search(corpus_client, q="Xocalı fac", prefix="true")
    texts = [" ".join(row["title"].values()) for row in both]
    assert len(texts) == 3  # Xocalının faciəsinə …, Xocalıdakı faciə …, Xocalı … faciənin
    assert all(re.search(r"Xocalı\w* .*\bfac", text) for text in texts), texts
    short = await search(corpus_client, q="pa", prefix="true")
    assert short
    assert all(
        {w.lower() for w in re.findall(r"<mark>(.*?)</mark>", row["snippet"])} == {"pa"}
        for row in short
    )


async def test_many_newer_stemmed_matches_do_not_crowd_out_older_exact_ones(
    archive_app, archive_settings, reader
):
    events = []
    for index in range(150):  # far more than the ranked candidates of a kind
        exact = index < 3  # the three oldest
        events.append(
            item_created(
                uuid.uuid4(),
                time=datetime(2026, 2, 1, tzinfo=UTC) + timedelta(hours=index),
                title={"az": "Xocalı" if exact else f"Xocalıya ədalət {index}"},
                description={},
            )
        )
    records = [
        archived(
            event, body=encode_structured(event), mode="structured", received_at=datetime.now(UTC)
        )
        for event in events
    ]
    writer = SqlArchiveWriter(asyncpg_dsn(archive_settings.database_url.get_secret_value()))
    await writer.start()
    try:
        await writer.append(records, [r.projection for r in records if r.projection])
    finally:
        await writer.close()
    transport = httpx.ASGITransport(app=archive_app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://archive", headers=reader
    ) as client:
        for kind in ("item", "event"):
            found = await search(client, q="xocali", kind=kind, limit=5)
            assert [row["match"] for row in found] == ["exact"] * 3 + ["stemmed"] * 2
            assert {row["title"]["az"] for row in found[:3]} == {"Xocalı"}


async def test_the_openapi_document_describes_search_as_you_type(corpus_client):
    spec = (await corpus_client.get("/openapi.json")).json()
    for path in ("/api/v1/search", "/api/v1/events"):
        [prefix] = [p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "prefix"]
        assert prefix["schema"]["type"] == "boolean"
        assert "at least 3 letters" in prefix["description"]
