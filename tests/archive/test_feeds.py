"""Calendar feed addresses: what a calendar program subscribes to, without any header."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import uuid
from datetime import datetime, timedelta

import icalendar
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from services.archive.entrypoints.feeds_cli import app as feeds_cli
from shared.auth.tokens import mint_token
from tests.archive.conftest import Scenario
from tests.support import bearer

FEEDS = "/api/v1/feeds"


async def made(client, headers, **body) -> dict:
    response = await client.post(FEEDS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def path_of(feed: dict) -> str:
    return feed["url"].removeprefix("http://127.0.0.1:8002")


def uids(body: bytes) -> set[str]:
    return {str(e["UID"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}


async def test_a_feed_address_needs_no_header_and_carries_zone_refresh_url_uid_sequence(
    archive_client, reader, scenario: Scenario
):
    feed = await made(archive_client, reader, name="Committee hearings")
    assert feed["url"] == f"http://127.0.0.1:8002/feeds/{feed['token']}.ics"
    assert re.fullmatch(r"wpcal_[A-Za-z0-9_-]{43}", feed["token"])

    response = await archive_client.get(path_of(feed))  # no Authorization, no cookie

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    raw = response.content.decode()
    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in raw
    assert "\r\nX-PUBLISHED-TTL:PT1H\r\n" in raw
    assert "\r\nX-WR-CALNAME:Committee hearings\r\n" in raw
    assert "\r\nX-WR-TIMEZONE:Asia/Baku\r\n" in raw
    assert "\r\nDTSTART;TZID=Asia/Baku:20260319T110000\r\n" in raw  # not bare UTC
    calendar = icalendar.Calendar.from_ical(response.content)
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Asia/Baku"
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    moved = events[f"hearing-{scenario.hearing}@workplan.archive"]
    assert moved.decoded("SEQUENCE") == 2  # rescheduled once: the same UID, a higher SEQUENCE
    assert moved.decoded("DTSTART") == datetime.fromisoformat("2026-03-19T11:00:00+04:00")
    assert str(moved["URL"]) == f"http://127.0.0.1:8000/hearings/{scenario.hearing}"
    assert str(events[f"hearing-{scenario.cancelled}@workplan.archive"]["STATUS"]) == "CANCELLED"
    assert f"hearing-{scenario.secret_hearing}@workplan.archive" not in events
    [meeting] = [event for uid, event in events.items() if uid.startswith("meeting-")]
    assert str(meeting["URL"]) == f"http://127.0.0.1:8000/items/{scenario.item}"


async def test_only_the_hash_of_a_token_is_stored(archive_client, reader, archive_db, scenario):
    feed = await made(archive_client, reader)

    async with archive_db.connect() as connection:
        rows = (
            await connection.execute(text("SELECT t::text FROM archive.calendar_feeds t"))
        ).all()
        stored = await connection.scalar(text("SELECT token_hash FROM archive.calendar_feeds"))

    assert stored == hashlib.sha256(feed["token"].encode()).hexdigest()
    assert feed["token"] not in rows[0][0]
    assert feed["token"].removeprefix("wpcal_") not in rows[0][0]


async def test_filters_committee_organization_and_followed_items(
    archive_client, reader, scenario: Scenario
):
    mfa = await made(archive_client, reader, organization="MFA")
    followed = await made(archive_client, reader, items=[str(scenario.item)])
    other_committee = await made(archive_client, reader, committee="ANOTHER")

    only_meeting = uids((await archive_client.get(path_of(mfa))).content)
    of_item = uids((await archive_client.get(path_of(followed))).content)
    nothing = icalendar.Calendar.from_ical(
        (await archive_client.get(path_of(other_committee))).content
    )

    assert len(only_meeting) == 1
    assert next(iter(only_meeting)).startswith("meeting-")
    assert of_item == {
        f"hearing-{scenario.hearing}@workplan.archive",
        f"hearing-{scenario.cancelled}@workplan.archive",
        *only_meeting,
    }
    assert nothing.walk("VEVENT") == []


async def test_restricted_items_only_in_a_feed_whose_owner_is_cleared(
    archive_client, reader, cleared, archive_db, scenario: Scenario
):
    secret = f"hearing-{scenario.secret_hearing}@workplan.archive"
    of_cleared = await made(archive_client, cleared)
    left_out = await made(archive_client, cleared, restricted=False)
    refused = await archive_client.post(FEEDS, json={"restricted": True}, headers=reader)

    assert of_cleared["restricted"] is True
    assert secret in uids((await archive_client.get(path_of(of_cleared))).content)
    assert secret not in uids((await archive_client.get(path_of(left_out))).content)
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "a feed with restricted items needs the 'archive:restricted' scope"
    )
    async with archive_db.connect() as connection:
        [logged] = (
            await connection.execute(
                text("SELECT principal, path, subjects FROM archive.access_log")
            )
        ).all()
    assert logged.principal == f"feed {of_cleared['id']} of test"
    assert logged.path == "/feeds/***.ics"  # the access log never holds the token either
    assert any(str(scenario.secret_hearing) in subject for subject in logged.subjects)


async def test_feeds_are_listed_with_their_last_use_and_an_admin_makes_one_for_a_mailbox(
    archive_client, archive_settings, reader, scenario
):
    mine = await made(archive_client, reader, name="Mine")
    listed = (await archive_client.get(FEEDS, headers=reader)).json()
    assert [(f["id"], f["last_used_at"]) for f in listed] == [(mine["id"], None)]
    assert "token" not in listed[0]
    assert "url" not in listed[0]

    assert (await archive_client.get(path_of(mine))).status_code == 200
    [used] = (await archive_client.get(FEEDS, headers=reader)).json()
    assert used["last_used_at"] is not None
    assert datetime.fromisoformat(used["last_used_at"]) > datetime.fromisoformat(
        used["created_at"]
    ) - timedelta(seconds=1)

    admin = bearer(archive_settings, "archive:read", "archive:admin")
    mailbox = await made(archive_client, admin, owner="committee-mailbox", name="Shared")
    not_mine = await archive_client.post(FEEDS, json={"owner": "someone"}, headers=reader)
    assert mailbox["owner"] == "committee-mailbox"
    assert mailbox["created_by"] == "test"
    assert not_mine.status_code == 403
    everyone = (await archive_client.get(FEEDS, headers=admin)).json()
    assert {f["owner"] for f in everyone} == {"test", "committee-mailbox"}
    assert [f["id"] for f in (await archive_client.get(FEEDS, headers=reader)).json()] == [
        mine["id"]
    ]
    peeking = await archive_client.get(FEEDS, params={"owner": "committee-mailbox"}, headers=reader)
    assert peeking.status_code == 403


async def test_a_revoked_feed_answers_404_like_an_address_that_never_existed(
    archive_client, archive_settings, reader, scenario
):
    feed = await made(archive_client, reader)
    assert (await archive_client.get(path_of(feed))).status_code == 200

    assert (await archive_client.delete(f"{FEEDS}/{feed['id']}", headers=reader)).status_code == 204
    gone = await archive_client.get(path_of(feed))
    never = await archive_client.get(f"/feeds/wpcal_{'A' * 43}.ics")
    garbage = await archive_client.get("/feeds/not-a-token.ics")

    assert gone.status_code == never.status_code == garbage.status_code == 404
    assert gone.json() == never.json() == garbage.json()
    assert gone.json()["detail"] == "no calendar feed at this address (it may have been revoked)"
    [listed] = (await archive_client.get(FEEDS, headers=reader)).json()
    assert listed["revoked_at"] is not None
    assert listed["active"] is False
    assert (await archive_client.delete(f"{FEEDS}/{feed['id']}", headers=reader)).status_code == 204


async def test_someone_else_cannot_revoke_a_feed_and_bad_input_is_refused_precisely(
    archive_client, archive_settings, reader, scenario
):
    feed = await made(archive_client, reader)
    intruder = {
        "Authorization": "Bearer "
        + mint_token(archive_settings, subject="intruder", scopes=["archive:read"])
    }
    refused = await archive_client.delete(f"{FEEDS}/{feed['id']}", headers=intruder)
    unknown_item = await archive_client.post(
        FEEDS, json={"items": [str(uuid.uuid4())]}, headers=reader
    )
    extra = await archive_client.post(FEEDS, json={"colour": "red"}, headers=reader)
    anonymous = await archive_client.post(FEEDS, json={})

    assert refused.status_code == 404
    assert (await archive_client.get(path_of(feed))).status_code == 200
    assert unknown_item.status_code == 422
    assert "is not in the archive" in unknown_item.json()["detail"]
    assert extra.status_code == 422
    assert anonymous.status_code == 401


@pytest.fixture
def cli_env(archive_settings, monkeypatch):
    monkeypatch.setenv("WORKPLAN_DATABASE_URL", archive_settings.database_url.get_secret_value())
    monkeypatch.chdir("/")  # no .env of the working tree
    monkeypatch.setenv("COLUMNS", "200")


async def cli(*args: str):
    """The command as an operator types it (in a thread: it runs its own event loop)."""
    return await asyncio.to_thread(CliRunner().invoke, feeds_cli, list(args))


async def test_an_admin_makes_lists_and_revokes_feeds_on_the_command_line(
    archive_client, cli_env, scenario: Scenario
):
    made_feed = await cli("create", "--owner", "committee-mailbox", "--item", str(scenario.item))
    assert made_feed.exit_code == 0, made_feed.output
    url = made_feed.output.strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:8002/feeds/wpcal_[A-Za-z0-9_-]{43}\.ics", url)
    assert (await archive_client.get(url.removeprefix("http://127.0.0.1:8002"))).status_code == 200

    [feed] = json.loads((await cli("list", "--json")).output)
    assert feed["owner"] == "committee-mailbox"
    assert feed["items"] == [str(scenario.item)]
    assert feed["restricted"] is False
    assert feed["last_used_at"] is not None
    assert feed["id"] in (await cli("list")).output  # a table never cuts the id

    revoked = await cli("revoke", feed["id"])
    assert revoked.exit_code == 0, revoked.output
    assert (await archive_client.get(url.removeprefix("http://127.0.0.1:8002"))).status_code == 404
    unknown = await cli("revoke", str(uuid.uuid4()))
    assert unknown.exit_code == 1
    assert "refused: no calendar feed" in unknown.output


async def test_staff_keep_their_own_feeds_and_download_a_hearing_with_the_calendar_scope(
    archive_client, archive_settings, scenario: Scenario
):
    calendar_only = bearer(archive_settings, "archive:calendar")
    feed = await made(archive_client, calendar_only, name="Mine")
    assert feed["restricted"] is False
    listed = await archive_client.get(FEEDS, headers=calendar_only)
    assert [f["id"] for f in listed.json()] == [feed["id"]]
    assert (
        await archive_client.get("/api/v1/search?q=x", headers=calendar_only)
    ).status_code == 403

    one = await archive_client.get(
        f"/api/v1/hearings/{scenario.hearing}/calendar.ics", headers=calendar_only
    )
    assert one.status_code == 200, one.text
    assert one.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "attachment" in one.headers["content-disposition"]
    assert uids(one.content) == {f"hearing-{scenario.hearing}@workplan.archive"}
    [event] = icalendar.Calendar.from_ical(one.content).walk("VEVENT")
    assert event.decoded("SEQUENCE") == 2, "the same entry as in the feeds"
    assert "\r\nDTSTART;TZID=Asia/Baku:20260319T110000\r\n" in one.content.decode()

    hidden = await archive_client.get(
        f"/api/v1/hearings/{scenario.secret_hearing}/calendar.ics", headers=calendar_only
    )
    assert hidden.status_code == 404
    nobody = bearer(archive_settings, "planner:read")
    path = f"/api/v1/hearings/{scenario.hearing}/calendar.ics"
    assert (await archive_client.get(path, headers=nobody)).status_code == 403
