"""Archive search quality and latency: recall and precision on the search corpus, then
p50/p95 of ``/events?q=`` and ``/search`` over N events.

Usage: ``python -m bench.archive_search [--events 1000000] [--runs 40]``. First archives
the search corpus of the test suite (``tests/archive/search_corpus.py``: work-plan
sentences in az/en/ru, queries with the documents they should find) in a scratch database
and prints recall and precision through both endpoints. Then fills another scratch
database (both removed afterwards) with N multilingual events (Azerbaijani, English,
Russian; a few inflected words in most events, a long tail of rarer ones, a handful of
very rare inflected names such as Xocalıya) spread over three years, generated in SQL with
the same search document the archive builds (Azerbaijani stems computed by the archive's
own rules), plus read models (an item per 10 events, a hearing and a meeting per 5). Then
it asks the archive's real HTTP API (``create_app``, served in process through httpx's
ASGI transport: token, validation, query, JSON) for rare and common words, whole, in
other forms (stemmed) and as typed (prefix), with and without a date range, one request
at a time after a warm-up, and prints p50/p95 per case with the CPU each request cost.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from migrations.runner import upgrade
from services.archive.adapters.log_writer import SEARCH_DOCUMENT, SqlArchiveWriter
from services.archive.domain.folding import fold
from services.archive.domain.morphology import stems_text
from services.archive.main import create_app
from services.archive.settings import ArchiveSettings
from shared.auth.tokens import mint_token
from shared.db.engine import asyncpg_dsn
from tests.archive.search_corpus import archive_corpus, evaluate

FOLD = "translate(lower(translate({0}, 'İI', 'iı')), 'əıöüşçğё', 'eiouscgе')"
FIRST = datetime(2024, 1, 1, tzinfo=UTC)
LAST = datetime(2027, 1, 1, tzinfo=UTC)

# Title words: each event has two common words in each language, inflected as the plan's
# text is (so stemmed queries have work to do), one from a long tail (skewed), and now and
# then a rare name, itself inflected.
AZ_FIRST = [
    "əməkdaşlığın", "nümayəndə heyətinin", "dinləmələr", "görüşləri", "hesabatı",
    "əməkdaşlıq", "dinləmə", "görüş",
]  # fmt: skip
AZ_SECOND = ["parlamentin", "komitəsinin", "sessiyasında", "parlament", "komitə", "parlamentə"]
AZ_RARE = {
    "g % 5000 = 7": "Xocalıya",
    "g % 7000 = 5": "Xocalının",
    "g % 1500 = 11": "İstanbulda",
    "g % 3000 = 13": "diasporanın",
}
EN_FIRST = ["cooperation", "delegations", "hearings", "meeting", "reports", "visit"]
EN_SECOND = ["parliamentary", "assembly", "committees", "session"]
RU_FIRST = ["сотрудничества", "встречи", "делегация", "слушания", "доклад"]
RU_SECOND = ["парламентской", "комитета", "сессии"]


def _array(words: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + word.replace("'", "''") + "'" for word in words) + "]"


def _stems(text: str) -> str:
    return stems_text(fold(text))


def _pick(words: list[str], stems: bool = False) -> str:
    """One of the words (or its Azerbaijani stems) by the event number, as SQL."""
    chosen = [_stems(word) for word in words] if stems else words
    return f"({_array(chosen)})[1 + g % {len(words)}]"


def _rare(stems: bool = False) -> str:
    cases = " ".join(
        f"WHEN {condition} THEN ' {_stems(word) if stems else word}'"
        for condition, word in AZ_RARE.items()
    )
    return f"CASE {cases} ELSE '' END"


GENERATE = f"""
WITH raw AS (
    SELECT
        g,
        timestamptz '2024-01-01 00:00+00' + (g::float8 / :n) * interval '1095 days' AS time,
        {_pick(EN_FIRST)} || ' ' || {_pick(EN_SECOND)}
          || ' topic' || floor(power(random(), 3) * 5000)::int
          || CASE WHEN g % 4000 = 3 THEN ' Khojaly' ELSE '' END AS en,
        {_pick(AZ_FIRST)} || ' ' || {_pick(AZ_SECOND)}
          || ' mövzu' || floor(power(random(), 3) * 5000)::int || {_rare()} AS az,
        {_pick(AZ_FIRST, stems=True)} || ' ' || {_pick(AZ_SECOND, stems=True)}
          || {_rare(stems=True)} AS stems,
        {_pick(RU_FIRST)} || ' ' || {_pick(RU_SECOND)}
          || ' тема' || floor(power(random(), 3) * 5000)::int AS ru,
        (ARRAY['PACE','OSCE-PA','NATO-PA','TURKPA','IPU','MFA','PABSEC'])[1 + g % 7] AS org,
        (ARRAY['workplan.item.created.v1','workplan.item.updated.v1',
               'workplan.hearing.scheduled.v1','workplan.hearing.rescheduled.v1',
               'workplan.meeting.held.v1'])[1 + g % 5] AS type
    FROM generate_series(:first, :last) AS g
)
INSERT INTO archive.events (
    time, source, event_id, type, subject, sequence, known, mode, committee, session,
    organizations, classification, item_id, envelope, search
)
SELECT
    r.time, 'urn:workplan:planner', 'bench-' || r.g, r.type, 'item/' || r.g, 1, true,
    'structured', 'MM-IRIPT', '2026-spring', ARRAY[r.org], 'public', NULL,
    json_build_object(
        'specversion', '1.0', 'id', 'bench-' || r.g, 'source', 'urn:workplan:planner',
        'type', r.type, 'subject', 'item/' || r.g, 'time', r.time, 'sequence', '1',
        'data', json_build_object(
            'title', json_build_object('az', r.az, 'en', r.en, 'ru', r.ru),
            'organizations', json_build_array(r.org)
        )
    ),
    {
    SEARCH_DOCUMENT.replace("b.english", "r.en")
    .replace("b.russian", "r.ru")
    .replace("b.stems", "r.stems")
    .replace("b.title", FOLD.format("(r.az || ' ' || r.en || ' ' || r.ru)"))
    .replace("b.body", "''")
}
FROM raw r
"""

READ_MODEL = """
INSERT INTO archive.{table} ({key}, version, committee, session, status, classification,
    organizations, state, last_event_type, updated_at, event_position, search{extra})
SELECT {key_value}, 1, committee, session, '{status}', 'public', organizations,
    (envelope -> 'data')::jsonb, type, time, position, search{extra_values}
FROM archive.events WHERE position % {every} = {remainder}
"""


async def fill(connection: asyncpg.Connection, count: int) -> None:
    await connection.execute(
        "SELECT archive.ensure_event_partition(m) FROM generate_series("
        "timestamptz '2024-01-01 00:00+00', timestamptz '2026-12-01 00:00+00', "
        "interval '1 month') m"
    )
    sql = GENERATE.replace(":n", str(count))
    chunk = 100_000
    started = time.perf_counter()
    for first in range(1, count + 1, chunk):
        last = min(count, first + chunk - 1)
        await connection.execute(sql.replace(":first", str(first)).replace(":last", str(last)))
        print(f"  {last:,} events ({last / (time.perf_counter() - started):,.0f}/s)", flush=True)
    for table, key, key_value, status, extra, extra_values, every, remainder in (
        ("items", "item_id", "gen_random_uuid()", "planned", "", "", 10, 0),
        (
            "hearings",
            "hearing_id",
            "gen_random_uuid()",
            "scheduled",
            ", item_id, starts_at, ends_at",
            ", gen_random_uuid(), time, time + interval '2 hours'",
            5,
            1,
        ),
        (
            "meetings",
            "source, meeting_id",
            "source, event_id",
            "held",
            ", held_at",
            ", time",
            5,
            2,
        ),
    ):
        await connection.execute(
            READ_MODEL.format(
                table=table,
                key=key,
                key_value=key_value,
                status=status,
                extra=extra,
                extra_values=extra_values,
                every=every,
                remainder=remainder,
            )
        )
    await connection.execute("VACUUM ANALYZE archive.events")
    for table in ("items", "hearings", "meetings"):
        await connection.execute(f"VACUUM ANALYZE archive.{table}")
    print(f"filled in {time.perf_counter() - started:.0f} s")


CASES: dict[str, tuple[list[str], bool]] = {
    "rare word": (["topic4990", "mövzu4985", "khojaly"], False),
    "common word": (["cooperation", "parliamentary", "assembly", "session"], False),
    "stemmed rare": (["xocali", "istanbul", "diaspora", "Xocalının"], False),
    "stemmed common": (["komitə", "parlament", "парламент", "hearing", "əməkdaşlıq"], False),
    "prefix rare": (["diaspo", "xocal", "istanb", "khoja", "mövzu498"], True),
    "prefix common": (["parl", "komit", "hear", "deleg", "сотруд"], True),
}
"""Words of each case, asked in turn; ``True``: as typed (``prefix=true``)."""
RANGES = {
    "no range": (None, None),
    "last 30 days": (datetime(2026, 12, 1, tzinfo=UTC), LAST),
    "a quarter in 2025": (datetime(2025, 4, 1, tzinfo=UTC), datetime(2025, 7, 1, tzinfo=UTC)),
}
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes (PostgreSQL backends of this benchmark)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


async def backends(url: str, name: str) -> list[int]:
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        rows = await connection.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
        return [row["pid"] for row in rows]
    finally:
        await connection.close()


async def measure(url: str, name: str, runs: int) -> None:
    """Time each case through the archive's HTTP API (the whole FastAPI app in process:
    token check, parameter validation, the query, JSON streaming), one request at a time;
    with the CPU spent per request by this process (API) and by its PostgreSQL backends,
    and their sum over the wall time (near 1: CPU-bound; far below: waiting on the shared
    machine)."""
    settings = ArchiveSettings(database_url=SecretStr(url))
    application = create_app(settings)
    headers = {
        "Authorization": f"Bearer {mint_token(settings, subject='bench', scopes=['archive:read'])}"
    }
    transport = httpx.ASGITransport(app=application)
    http = httpx.AsyncClient(transport=transport, base_url="http://archive", headers=headers)

    async def get(
        path: str, word: str, prefix: bool, window: tuple[datetime | None, datetime | None]
    ) -> int:
        params: dict[str, str | int] = {
            "q": word,
            "limit": 50 if path == "/events" else 20,
            "prefix": str(prefix).lower(),
        }
        if window[0] is not None and window[1] is not None:
            params |= {"time_from": window[0].isoformat(), "time_to": window[1].isoformat()}
        response = await http.get(f"/api/v1{path}", params=params)
        response.raise_for_status()
        return len(response.json())

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{'endpoint':12} {'case':15} {'date range':18} {'p50':>8} {'p95':>8} {'max':>8}"
        f" {'rows':>5} {'API CPU':>8} {'PG CPU':>8} {'CPU/wall':>8}"
    )
    try:
        for path in ("/events", "/search"):
            for words, prefix in CASES.values():  # warm-up
                for word in words:
                    for window in RANGES.values():
                        await get(path, word, prefix, window)
            pids = await backends(url, name)
            for case, (words, prefix) in CASES.items():
                for label, window in RANGES.items():
                    timings, found = [], 0
                    process, database = time.process_time(), cpu_seconds(pids)
                    for run in range(runs):
                        word = words[run % len(words)]
                        started = time.perf_counter()
                        found += await get(path, word, prefix, window)
                        timings.append((time.perf_counter() - started) * 1000)
                    api_cpu = (time.process_time() - process) * 1000 / runs
                    pg_cpu = (cpu_seconds(pids) - database) * 1000 / runs
                    cuts = statistics.quantiles(timings, n=20)
                    print(
                        f"{path + '?q=':12} {case:15} {label:18} "
                        f"{statistics.median(timings):5.1f} ms {cuts[18]:5.1f} ms "
                        f"{max(timings):5.1f} ms {found / runs:5.0f} "
                        f"{api_cpu:5.1f} ms {pg_cpu:5.1f} ms "
                        f"{(api_cpu + pg_cpu) / statistics.fmean(timings):8.2f}",
                        flush=True,
                    )
    finally:
        await http.aclose()
        await application.state.archive.engine.dispose()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


async def corpus_quality(url: str) -> None:
    """Archive the search corpus (``tests/archive/search_corpus.py``) as ingest does, in
    its own database, and print recall and precision through both endpoints."""
    settings = ArchiveSettings(database_url=SecretStr(url))
    writer = SqlArchiveWriter(asyncpg_dsn(url))
    await writer.start()
    try:
        await archive_corpus(writer)
    finally:
        await writer.close()
    application = create_app(settings)
    token = mint_token(settings, subject="bench", scopes=["archive:read"])
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://archive",
        headers={"Authorization": f"Bearer {token}"},
    ) as http:
        try:
            for endpoint in ("/api/v1/search", "/api/v1/events"):
                print((await evaluate(http, endpoint)).report())
        finally:
            await application.state.archive.engine.dispose()


async def scratch_database(admin: str, name: str) -> None:
    connection = await asyncpg.connect(admin)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()


async def drop_database(admin: str, name: str) -> None:
    connection = await asyncpg.connect(admin)
    await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await connection.close()


async def main(count: int, runs: int) -> None:
    base = ArchiveSettings()
    server = make_url(base.database_url.get_secret_value())
    admin = server.set(drivername="postgresql", database="postgres").render_as_string(False)
    suffix = uuid.uuid4().hex[:8]
    corpus, name = f"workplan_bench_corpus_{suffix}", f"workplan_bench_search_{suffix}"
    print(f"{os.cpu_count()} CPUs; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    await scratch_database(admin, corpus)
    try:
        corpus_url = server.set(database=corpus).render_as_string(hide_password=False)
        upgrade(corpus_url, ("archive",))
        await corpus_quality(corpus_url)
    finally:
        await drop_database(admin, corpus)
    await scratch_database(admin, name)
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url, ("archive",))
        database = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
        try:
            await fill(database, count)
            total = await database.fetchval("SELECT count(*) FROM archive.events")
            print(f"archive.events: {total:,} rows")
        finally:
            await database.close()
        await measure(url, name, runs)
    finally:
        await drop_database(admin, name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.events, arguments.runs))
