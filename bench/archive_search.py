"""Archive search latency at scale: p50/p95 of ``/events?q=`` and ``/search`` over N events.

Usage: ``python -m bench.archive_search [--events 1000000] [--runs 40]``. Fills a scratch
database (removed afterwards) with N multilingual events (Azerbaijani, English, Russian;
a few words in most events, a long tail of rarer ones, a handful of very rare names such
as Xocalı) spread over three years, generated in SQL with the same search document the
archive builds, plus read models (an item per 10 events, a hearing and a meeting per 5).
Then it asks the archive's real HTTP API (``create_app``, served in process through
httpx's ASGI transport: token, validation, query, JSON) for rare and common words, with
and without a date range, one request at a time after a warm-up, and prints p50/p95 per
case.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from datetime import UTC, datetime

import asyncpg
import httpx
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from migrations.runner import upgrade
from services.archive.adapters.log_writer import SEARCH_DOCUMENT
from services.archive.main import create_app
from services.archive.settings import ArchiveSettings
from shared.auth.tokens import mint_token

FOLD = "translate(lower(translate({0}, 'İI', 'iı')), 'əıöüşçğё', 'eiouscgе')"
FIRST = datetime(2024, 1, 1, tzinfo=UTC)
LAST = datetime(2027, 1, 1, tzinfo=UTC)

# title words: each event has a few common ones, one from a long tail (skewed), and
# now and then a rare name
GENERATE = f"""
WITH raw AS (
    SELECT
        g,
        timestamptz '2024-01-01 00:00+00' + (g::float8 / :n) * interval '1095 days' AS time,
        (ARRAY['cooperation','delegation','hearing','meeting','report','visit'])[1 + g % 6]
          || ' ' || (ARRAY['parliamentary','assembly','committee','session'])[1 + g % 4]
          || ' topic' || floor(power(random(), 3) * 5000)::int
          || CASE WHEN g % 5000 = 7 THEN ' Xocalı' WHEN g % 4000 = 3 THEN ' Khojaly'
                  WHEN g % 1500 = 11 THEN ' İstanbul' ELSE '' END AS en,
        (ARRAY['əməkdaşlıq','nümayəndə heyəti','dinləmə','görüş','hesabat'])[1 + g % 5]
          || ' ' || (ARRAY['parlament','komitə','sessiya'])[1 + g % 3]
          || ' mövzu' || floor(power(random(), 3) * 5000)::int AS az,
        (ARRAY['сотрудничество','встреча','делегация','слушания','доклад'])[1 + g % 5]
          || ' ' || (ARRAY['парламент','комитет','сессия'])[1 + g % 3]
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
    SEARCH_DOCUMENT.replace("b.title_en", "r.en")
    .replace("b.title_ru", "r.ru")
    .replace("b.title", FOLD.format("(r.az || ' ' || r.en || ' ' || r.ru)"))
    .replace("b.body_en", "''")
    .replace("b.body_ru", "''")
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


CASES = {
    "rare": ["xocali", "khojaly", "istanbul", "topic4990", "mövzu4985"],
    "common": ["cooperation", "parliamentary", "встреча", "parlament", "delegation"],
}
RANGES = {
    "no range": (None, None),
    "last 30 days": (datetime(2026, 12, 1, tzinfo=UTC), LAST),
    "a quarter in 2025": (datetime(2025, 4, 1, tzinfo=UTC), datetime(2025, 7, 1, tzinfo=UTC)),
}


async def measure(url: str, runs: int) -> None:
    """Time each case through the archive's HTTP API (the whole FastAPI app in process:
    token check, parameter validation, the query, JSON streaming), one request at a time."""
    settings = ArchiveSettings(database_url=SecretStr(url))
    application = create_app(settings)
    headers = {
        "Authorization": f"Bearer {mint_token(settings, subject='bench', scopes=['archive:read'])}"
    }
    transport = httpx.ASGITransport(app=application)
    http = httpx.AsyncClient(transport=transport, base_url="http://archive", headers=headers)

    async def get(path: str, word: str, window: tuple[datetime | None, datetime | None]) -> int:
        params: dict[str, str | int] = {"q": word, "limit": 50 if path == "/events" else 20}
        if window[0] is not None and window[1] is not None:
            params |= {"time_from": window[0].isoformat(), "time_to": window[1].isoformat()}
        response = await http.get(f"/api/v1{path}", params=params)
        response.raise_for_status()
        return len(response.json())

    try:
        for path in ("/events", "/search"):
            for words in CASES.values():  # warm-up
                for word in words:
                    for window in RANGES.values():
                        await get(path, word, window)
            for case, words in CASES.items():
                for label, window in RANGES.items():
                    timings, found = [], 0
                    for run in range(runs):
                        word = words[run % len(words)]
                        started = time.perf_counter()
                        found += await get(path, word, window)
                        timings.append((time.perf_counter() - started) * 1000)
                    cuts = statistics.quantiles(timings, n=20)
                    print(
                        f"{path + '?q=':12} {case:6} {label:18} "
                        f"p50 {statistics.median(timings):6.1f} ms"
                        f"  p95 {cuts[18]:6.1f} ms  max {max(timings):6.1f} ms"
                        f"  (avg {found / runs:.0f} rows)"
                    )
    finally:
        await http.aclose()
        await application.state.archive.engine.dispose()


async def main(count: int, runs: int) -> None:
    base = ArchiveSettings()
    server = make_url(base.database_url.get_secret_value())
    admin = server.set(drivername="postgresql", database="postgres").render_as_string(False)
    name = f"workplan_bench_search_{uuid.uuid4().hex[:8]}"
    connection = await asyncpg.connect(admin)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
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
        await measure(url, runs)
    finally:
        connection = await asyncpg.connect(admin)
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.events, arguments.runs))
