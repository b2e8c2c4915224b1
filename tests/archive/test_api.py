"""The query API over events archived through the real broker."""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import icalendar
import pytest
from sqlalchemy import text

from tests.archive.conftest import publish_and_wait
from tests.archive.events import (
    hearing_cancelled,
    hearing_rescheduled,
    hearing_scheduled,
    item_created,
    item_status,
    meeting_held,
)
from tests.conftest import EXTERNAL_SOURCE

T1 = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 2, 5, 9, 0, tzinfo=UTC)
T3 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@dataclass
class Scenario:
    item: uuid.UUID
    other: uuid.UUID
    secret: uuid.UUID
    hearing: uuid.UUID
    cancelled: uuid.UUID
    secret_hearing: uuid.UUID
    meeting_event_id: str


@pytest.fixture
async def scenario(archive_app, archive_db, publisher, archive_topology) -> Scenario:
    s = Scenario(
        item=uuid.uuid4(),
        other=uuid.uuid4(),
        secret=uuid.uuid4(),
        hearing=uuid.uuid4(),
        cancelled=uuid.uuid4(),
        secret_hearing=uuid.uuid4(),
        meeting_event_id="",
    )
    meeting = meeting_held(EXTERNAL_SOURCE, time=T2, item_id=s.item, organizations=["MFA", "PACE"])
    s.meeting_event_id = meeting.id
    events = [
        item_created(s.item, time=T1),
        item_created(
            s.other,
            time=T1,
            title={"ru": "Встреча с делегацией ПАСЕ", "en": "IRAQ delegation visit"},
            description={},
            category="cooperation",
            organizations=["OSCE-PA"],
        ),
        item_created(
            s.secret,
            time=T1,
            title={"en": "Confidential dossier on İstanbul talks"},
            classification="restricted",
            organizations=["PACE"],
        ),
        hearing_scheduled(s.hearing, s.item, time=T2),
        hearing_scheduled(
            s.cancelled,
            s.item,
            time=T2,
            starts_at="2026-04-02T11:00:00+04:00",
            ends_at="2026-04-02T12:00:00+04:00",
        ),
        hearing_scheduled(
            s.secret_hearing,
            s.secret,
            time=T2,
            classification="restricted",
            title={"en": "Closed hearing on the dossier"},
            starts_at="2026-04-09T11:00:00+04:00",
            ends_at="2026-04-09T12:00:00+04:00",
        ),
        meeting,
        hearing_rescheduled(s.hearing, s.item, sequence=2, time=T3),
        hearing_cancelled(s.cancelled, s.item, sequence=2, time=T3),
        item_status(
            s.other,
            "in_progress",
            sequence=2,
            time=T3,
            title={"ru": "Встреча с делегацией ПАСЕ", "en": "IRAQ delegation visit"},
            description={},
            category="cooperation",
            organizations=["OSCE-PA"],
        ),
    ]
    await publish_and_wait(publisher, archive_topology, archive_db, events)
    return s


async def get_json(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], status: int = 200
) -> Any:
    response = await client.get(url, headers=headers)
    assert response.status_code == status, response.text
    return response.json()


async def test_events_newest_first_with_filters_and_a_stable_cursor(
    archive_client, reader, scenario
):
    everything = await get_json(archive_client, "/api/v1/events?limit=100", reader)
    times = [event["time"] for event in everything]
    assert times == sorted(times, reverse=True)
    assert len(everything) == 8  # the restricted item and its hearing are hidden
    assert all(event["event"]["id"] == event["id"] for event in everything)

    hearings = await get_json(archive_client, "/api/v1/events?type=workplan.hearing.*", reader)
    assert {e["type"] for e in hearings} == {
        "workplan.hearing.scheduled.v1",
        "workplan.hearing.rescheduled.v1",
        "workplan.hearing.cancelled.v1",
    }
    exact = await get_json(archive_client, "/api/v1/events?type=workplan.item.created.v1", reader)
    assert len(exact) == 2
    ranged = await get_json(
        archive_client,
        "/api/v1/events?time_from=2026-02-03T00:00:00Z&time_to=2026-02-28T00:00:00Z",
        reader,
    )
    assert {e["time"] for e in ranged} == {T2.isoformat()}
    by_source = await get_json(archive_client, f"/api/v1/events?source={EXTERNAL_SOURCE}", reader)
    assert [e["id"] for e in by_source] == [scenario.meeting_event_id]
    by_org = await get_json(archive_client, "/api/v1/events?organization=OSCE-PA", reader)
    assert {e["subject"] for e in by_org} == {f"item/{scenario.other}"}
    text_hits = await get_json(archive_client, "/api/v1/events?q=встреча", reader)
    assert {e["subject"] for e in text_hits} == {f"item/{scenario.other}", f"item/{scenario.item}"}
    assert len(text_hits) == 3  # "Встреча" in one item's title twice, "Встречи" in the other

    pages, url = [], "/api/v1/events?limit=3"
    while url:
        response = await archive_client.get(url, headers=reader)
        assert response.status_code == 200
        pages.append([event["id"] for event in response.json()])
        cursor = response.headers.get("X-Next-Cursor")
        url = f"/api/v1/events?limit=3&cursor={cursor}" if cursor else ""
    assert [event_id for page in pages for event_id in page] == [e["id"] for e in everything]
    assert len(pages) == 3


async def test_lists_stream_as_csv_and_json_lines(archive_client, reader, scenario):
    response = await archive_client.get("/api/v1/items", headers={**reader, "Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert {row["id"] for row in table} == {str(scenario.item), str(scenario.other)}
    assert {row["title.en"] for row in table} == {
        "Justice for Khojaly campaign",
        "IRAQ delegation visit",
    }
    response = await archive_client.get("/api/v1/events?format=jsonl", headers=reader)
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert len(lines) == 8
    response = await archive_client.get(
        "/api/v1/hearings", headers={**reader, "Accept": "application/x-ndjson"}
    )
    assert len(response.text.splitlines()) == 2


async def test_items_filters_and_detail_with_timeline(archive_client, reader, scenario):
    url = "/api/v1/items?committee=MM-IRIPT&session=2026-spring"
    assert len(await get_json(archive_client, url, reader)) == 2
    in_progress = await get_json(archive_client, "/api/v1/items?status=in_progress", reader)
    assert [item["id"] for item in in_progress] == [str(scenario.other)]
    cooperation = await get_json(archive_client, "/api/v1/items?category=cooperation", reader)
    assert [item["id"] for item in cooperation] == [str(scenario.other)]
    pace = await get_json(archive_client, "/api/v1/items?organization=PACE", reader)
    assert [item["id"] for item in pace] == [str(scenario.item)]
    found = await get_json(archive_client, "/api/v1/items?q=xocali", reader)
    assert [item["id"] for item in found] == [str(scenario.item)]

    detail = await get_json(archive_client, f"/api/v1/items/{scenario.item}", reader)
    assert detail["status"] == "planned"
    assert {h["id"]: h["status"] for h in detail["hearings"]} == {
        str(scenario.hearing): "rescheduled",
        str(scenario.cancelled): "cancelled",
    }
    assert [m["meeting_id"] for m in detail["meetings"]] == [detail["meetings"][0]["meeting_id"]]
    timeline = detail["timeline"]
    times = [datetime.fromisoformat(e["time"]) for e in timeline]
    assert times == sorted(times)  # oldest first; events of the same instant in arrival order
    by_time = [(time, e["type"]) for time, e in zip(times, timeline, strict=True)]
    assert sorted(by_time) == sorted(
        [
            (T1, "workplan.item.created.v1"),
            (T2, "workplan.hearing.scheduled.v1"),
            (T2, "workplan.hearing.scheduled.v1"),
            (T2, "workplan.meeting.held.v1"),
            (T3, "workplan.hearing.rescheduled.v1"),
            (T3, "workplan.hearing.cancelled.v1"),
        ]
    )
    meetings = await get_json(archive_client, "/api/v1/meetings?organization=MFA", reader)
    assert [m["item_id"] for m in meetings] == [str(scenario.item)]


async def test_as_of_gives_the_state_at_that_moment_across_a_reschedule(
    archive_client, reader, scenario
):
    url = f"/api/v1/hearings/{scenario.hearing}"
    before = await get_json(archive_client, f"{url}?as_of=2026-02-10T00:00:00Z", reader)
    assert (before["status"], before["starts_at"], before["version"]) == (
        "scheduled",
        "2026-03-12T11:00:00+04:00",
        1,
    )
    after = await get_json(archive_client, f"{url}?as_of=2026-03-02T00:00:00Z", reader)
    assert (after["status"], after["starts_at"], after["version"]) == (
        "rescheduled",
        "2026-03-19T11:00:00+04:00",
        2,
    )
    assert after == await get_json(archive_client, url, reader) | {"kind": "hearing"}
    await get_json(archive_client, f"{url}?as_of=2026-01-01T00:00:00Z", reader, status=404)

    listed = await get_json(
        archive_client, "/api/v1/hearings?as_of=2026-02-10T00:00:00%2B04:00", reader
    )
    assert {h["id"]: h["status"] for h in listed} == {
        str(scenario.hearing): "scheduled",
        str(scenario.cancelled): "scheduled",
    }
    items = await get_json(archive_client, "/api/v1/items?as_of=2026-02-10T00:00:00Z", reader)
    assert {i["id"]: i["status"] for i in items}[str(scenario.other)] == "planned"
    detail = await get_json(
        archive_client, f"/api/v1/items/{scenario.item}?as_of=2026-02-10T00:00:00Z", reader
    )
    assert len(detail["timeline"]) == 4


@pytest.mark.parametrize(
    ("query", "subject_kind", "marked"),
    [
        ("xocali", "item", "Xocalı"),
        ("XOCALI", "item", "Xocalı"),
        ("istanbul", "meeting", "İstanbul"),
        ("ıraq", "item", "IRAQ"),
        ("iraq", "meeting", "IRAQ"),
        ("встреча", "item", "Встречи"),
        ("meeting", "item", "Meetings"),
    ],
)
async def test_search_is_azerbaijani_aware_and_stems_english_and_russian(
    archive_client, reader, scenario, query, subject_kind, marked
):
    results = await get_json(archive_client, f"/api/v1/search?q={query}", reader)
    assert results, f"nothing found for {query!r}"
    assert subject_kind in {r["kind"] for r in results}
    assert any(f"<mark>{marked}</mark>" in (r["snippet"] or "") for r in results), results
    ranks = [r["rank"] for r in results]
    assert ranks == sorted(ranks, reverse=True)


async def test_restricted_items_and_their_events_are_hidden_and_reads_are_logged(
    archive_client, reader, cleared, scenario, archive_db
):
    assert await get_json(archive_client, "/api/v1/search?q=dossier", reader) == []
    await get_json(archive_client, f"/api/v1/items/{scenario.secret}", reader, status=404)
    await get_json(
        archive_client, f"/api/v1/hearings/{scenario.secret_hearing}", reader, status=404
    )
    hidden = await get_json(archive_client, f"/api/v1/events?item_id={scenario.secret}", reader)
    assert hidden == []
    async with archive_db.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM archive.access_log")) == 0

    found = await get_json(archive_client, "/api/v1/search?q=dossier", cleared)
    assert {r["subject"] for r in found} >= {f"item/{scenario.secret}"}
    detail = await get_json(archive_client, f"/api/v1/items/{scenario.secret}", cleared)
    assert detail["classification"] == "restricted"
    events = await get_json(archive_client, f"/api/v1/events?item_id={scenario.secret}", cleared)
    assert len(events) == 2
    await get_json(archive_client, "/api/v1/items?status=planned", cleared)
    async with archive_db.connect() as connection:
        log = [
            dict(row._mapping)
            for row in await connection.execute(
                text("SELECT principal, path, subjects FROM archive.access_log ORDER BY id")
            )
        ]
    assert [entry["path"] for entry in log] == [
        "/api/v1/search",
        f"/api/v1/items/{scenario.secret}",
        "/api/v1/events",
        "/api/v1/items",
    ]
    assert all(entry["principal"] == "test" for entry in log)
    assert f"item/{scenario.secret}" in log[1]["subjects"]
    assert f"hearing/{scenario.secret_hearing}" in log[2]["subjects"]


async def test_the_calendar_feed_parses_with_stable_uids_and_rising_sequence(
    archive_client, reader, cleared, scenario
):
    response = await archive_client.get("/api/v1/calendar.ics", headers=reader)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    feed = icalendar.Calendar.from_ical(response.content)
    events = {str(event["UID"]): event for event in feed.walk("VEVENT")}
    moved = events[f"hearing-{scenario.hearing}@workplan.archive"]
    assert moved.decoded("SEQUENCE") == 2
    assert moved.decoded("DTSTART") == datetime.fromisoformat("2026-03-19T11:00:00+04:00")
    assert str(moved["STATUS"]) == "CONFIRMED"
    gone = events[f"hearing-{scenario.cancelled}@workplan.archive"]
    assert str(gone["STATUS"]) == "CANCELLED"
    assert f"hearing-{scenario.secret_hearing}@workplan.archive" not in events
    assert sum(1 for uid in events if uid.startswith("meeting-")) == 1

    filtered = await archive_client.get("/api/v1/calendar.ics?organization=MFA", headers=reader)
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(filtered.content).walk("VEVENT")}
    assert len(uids) == 1
    assert next(iter(uids)).startswith("meeting-")
    full = await archive_client.get("/api/v1/calendar.ics", headers=cleared)
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(full.content).walk("VEVENT")}
    assert f"hearing-{scenario.secret_hearing}@workplan.archive" in uids


async def test_work_plan_report_and_organization_activity(
    archive_client, reader, cleared, scenario
):
    report = await get_json(
        archive_client, "/api/v1/reports/work-plan?committee=MM-IRIPT&session=2026-spring", reader
    )
    assert report["by_status"] == {"planned": 1, "in_progress": 1}
    [planned] = report["statuses"]["planned"]
    assert planned["id"] == str(scenario.item)
    assert len(planned["hearings"]) == 2
    assert len(planned["meetings"]) == 1

    response = await archive_client.get("/api/v1/organizations/PACE/activity", headers=reader)
    assert response.status_code == 200
    assert int(response.headers["X-Organization-Events"]) == 2  # not the restricted item
    assert [(a["kind"], a["id"]) for a in response.json()] == [
        ("meeting", response.json()[0]["id"]),
        ("item", str(scenario.item)),
    ]
    await get_json(archive_client, "/api/v1/organizations/NOPE/activity", reader, status=404)
    everything = await archive_client.get("/api/v1/organizations/PACE/activity", headers=cleared)
    assert int(everything.headers["X-Organization-Events"]) == 3  # the restricted item too


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/api/v1/events?time_from=yesterday", 422, "time_from"),
        ("/api/v1/events?time_from=2026-02-03T00:00:00", 422, "UTC offset"),
        ("/api/v1/events?cursor=not-a-cursor", 422, "cursor"),
        ("/api/v1/events?cursor=WyJ4Il0", 422, "cursor"),
        ("/api/v1/events?limit=100000", 422, "limit"),
        ("/api/v1/events?limit=0", 422, "limit"),
        ("/api/v1/events?format=xml", 422, "format"),
        ("/api/v1/events?q=", 422, "q"),
        ("/api/v1/events?q=%21%21%21", 422, "no words"),
        ("/api/v1/events?type=bad%20type", 422, "type"),
        ("/api/v1/events?organization=lower", 422, "organization"),
        (
            "/api/v1/events?time_from=2026-03-01T00:00:00Z&time_to=2026-02-01T00:00:00Z",
            422,
            "after",
        ),
        ("/api/v1/search", 422, "q"),
        ("/api/v1/search?q=%20%20", 422, "no words"),
        ("/api/v1/search?q=the", 200, ""),
        ("/api/v1/search?q=x&kind=planet", 422, "kind"),
        ("/api/v1/search?q=diaspo&prefix=perhaps", 422, "prefix"),
        ("/api/v1/events?q=diaspo&prefix=perhaps", 422, "prefix"),
        ("/api/v1/search?q=di&prefix=true", 200, ""),
        ("/api/v1/items?as_of=last-week", 422, "as_of"),
        ("/api/v1/items?as_of=2026-02-03T00:00:00", 422, "UTC offset"),
        ("/api/v1/items?status=flying", 422, "status"),
        ("/api/v1/items?date_from=2026-13-01", 422, "date_from"),
        ("/api/v1/items?date_from=2026-05-01&date_to=2026-04-01", 422, "after"),
        ("/api/v1/items/not-a-uuid", 422, "item_id"),
        (f"/api/v1/items/{uuid.uuid4()}", 404, "no item"),
        ("/api/v1/hearings?offset=-1", 422, "offset"),
        ("/api/v1/organizations/pace/activity", 422, "code"),
        ("/api/v1/reports/work-plan?committee=MM-IRIPT", 422, "session"),
        ("/api/v1/reports/work-plan?committee=X&session=Y", 404, "no items"),
        ("/api/v1/calendar.ics?committee=%20bad", 422, "committee"),
    ],
)
async def test_bad_parameters_get_a_precise_4xx(
    archive_client, reader, archive_db, url, status, words
):
    response = await archive_client.get(url, headers=reader)
    assert response.status_code == status, response.text
    assert words in response.text


async def test_an_unsupported_accept_header_is_406_and_no_token_is_401(archive_client, reader):
    response = await archive_client.get(
        "/api/v1/events", headers={**reader, "Accept": "application/xml"}
    )
    assert response.status_code == 406
    assert "application/xml" in response.json()["detail"]
    assert (await archive_client.get("/api/v1/events")).status_code == 401
