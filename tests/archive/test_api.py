"""The query API over events archived through the real broker."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import datetime
from typing import Any

import httpx
import icalendar
import pytest
from sqlalchemy import text

from tests.archive.conftest import T1, T2, T3
from tests.conftest import EXTERNAL_SOURCE


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
    assert {e["time"] for e in ranged} == {T2.isoformat().replace("+00:00", "Z")}
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


async def test_lists_say_their_whole_size_whatever_the_page(
    archive_client, reader, cleared, scenario
):
    first = await archive_client.get("/api/v1/hearings?limit=1", headers=reader)
    everything = await archive_client.get("/api/v1/hearings?format=csv", headers=cleared)

    assert len(first.json()) == 1
    assert first.headers["X-Total-Count"] == "2"  # the restricted hearing is not counted
    assert everything.headers["X-Total-Count"] == "3"
    items = await archive_client.get("/api/v1/items?q=Khojaly&limit=1", headers=reader)
    assert items.headers["X-Total-Count"] == "1"


async def test_a_hearings_csv_gives_local_times_in_the_sessions_zone(
    archive_client, reader, scenario
):
    response = await archive_client.get("/api/v1/hearings?format=csv", headers=reader)

    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(response.text))}
    moved = rows[str(scenario.hearing)]
    assert (moved["starts_at"], moved["ends_at"], moved["timezone"]) == (
        "2026-03-19 11:00",
        "2026-03-19 13:00",
        "Asia/Baku",
    )
    as_json = await get_json(archive_client, f"/api/v1/hearings/{scenario.hearing}", reader)
    assert as_json["starts_at"] == "2026-03-19T07:00:00Z"  # JSON stays in UTC


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
        "2026-03-12T07:00:00Z",  # 11:00 in Baku, as the event wrote it
        1,
    )
    after = await get_json(archive_client, f"{url}?as_of=2026-03-02T00:00:00Z", reader)
    assert (after["status"], after["starts_at"], after["version"]) == (
        "rescheduled",
        "2026-03-19T07:00:00Z",
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


async def test_json_answers_give_times_in_utc_whatever_offset_the_event_had(
    archive_client, reader, scenario
):
    meetings = await get_json(archive_client, "/api/v1/meetings", reader)
    hearing = await get_json(archive_client, f"/api/v1/hearings/{scenario.hearing}", reader)

    assert [m["held_at"] for m in meetings] == ["2026-02-18T06:00:00Z"]  # sent as +04:00
    assert (hearing["starts_at"], hearing["ends_at"]) == (
        "2026-03-19T07:00:00Z",
        "2026-03-19T09:00:00Z",
    )
    assert hearing["updated_at"].endswith("Z")


async def test_the_work_plan_report_as_csv_for_staff_in_the_sessions_time_zone(
    archive_client, reader, scenario
):
    response = await archive_client.get(
        "/api/v1/reports/work-plan?committee=MM-IRIPT&session=2026-spring&format=csv",
        headers=reader,
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    mine = [row for row in rows if row["kind"] != "item" or row["id"] == str(scenario.item)]
    by_id = {row["id"]: row for row in mine}
    moved = by_id[str(scenario.hearing)]
    assert (moved["starts"], moved["ends"], moved["time_zone"]) == (
        "2026-03-19 11:00",  # 07:00 UTC, as staff in Baku read it
        "2026-03-19 13:00",
        "Asia/Baku",
    )
    [meeting] = [row for row in mine if row["kind"] == "meeting"]
    assert meeting["starts"] == "2026-02-18 10:00"
    assert meeting["item_status"] == by_id[str(scenario.item)]["item_status"] == "planned"
    assert str(scenario.secret_hearing) not in response.text  # not cleared for it

    lines = await archive_client.get(
        "/api/v1/reports/work-plan?committee=MM-IRIPT&session=2026-spring",
        headers={**reader, "Accept": "application/x-ndjson"},
    )
    assert lines.headers["content-type"].startswith("application/x-ndjson")
    assert len(lines.text.splitlines()) == len(rows)
    refused = await archive_client.get(
        "/api/v1/reports/work-plan?committee=MM-IRIPT&session=2026-spring",
        headers={**reader, "Accept": "application/pdf"},
    )
    assert refused.status_code == 406


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
