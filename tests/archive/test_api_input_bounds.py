"""Values PostgreSQL cannot take (moments beyond its reach, positions beyond ``bigint``)
are refused by the archive's API with a 422 naming the parameter, never passed on as a 503."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime

import pytest

from tests.archive.conftest import publish_and_wait
from tests.archive.events import hearing_scheduled, item_created, meeting_held
from tests.conftest import EXTERNAL_SOURCE

ITEM = uuid.uuid4()
FEBRUARY = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
LONG_AGO = datetime(1850, 1, 1, tzinfo=UTC)
"""Another system may send an event with any time; the log keeps it (a catch-all partition)."""
BEFORE_1900 = "0001-01-01T00:00:00%2B14:00"
AFTER_2200 = "9999-12-31T23:59:59-14:00"


@pytest.fixture
async def archived(archive_app, archive_db, publisher, archive_topology) -> None:
    """An item of PACE with a hearing and a meeting, and an item from long ago."""
    events = [
        item_created(uuid.uuid4(), time=LONG_AGO),
        item_created(ITEM, time=FEBRUARY),
        hearing_scheduled(uuid.uuid4(), ITEM, time=FEBRUARY),
        meeting_held(EXTERNAL_SOURCE, time=FEBRUARY, item_id=ITEM, organizations=["PACE"]),
    ]
    await publish_and_wait(publisher, archive_topology, archive_db, events)


def cursor_of(raw: str) -> str:
    """A cursor as the API encodes one, around any JSON text."""
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "raw",
    [
        '["2026-01-01T00:00:00+00:00",1e400]',  # a float beyond float: infinity
        '["2026-01-01T00:00:00+00:00",1e30]',  # a float beyond bigint
        '["2026-01-01T00:00:00+00:00",12.0]',  # a float, even a whole one
        '["2026-01-01T00:00:00+00:00",9223372036854775808]',  # an integer beyond bigint
        '["2026-01-01T00:00:00+00:00",true]',
        '["2026-01-01T00:00:00+00:00","12"]',
        '["2026-01-01T00:00:00",12]',  # a time without its offset
        '["9999-12-31T23:59:59-14:00",12]',  # a time past what UTC can hold
        '["0001-01-01T00:00:00+14:00",12]',
        '["2026-02-30T00:00:00+00:00",12]',
        "[12,12]",
        '{"time":"2026-01-01T00:00:00+00:00","position":12}',
    ],
)
async def test_a_forged_cursor_is_a_422_invalid_cursor(archive_client, reader, archive_db, raw):
    response = await archive_client.get(
        "/api/v1/events", params={"cursor": cursor_of(raw)}, headers=reader
    )

    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith("invalid cursor")


async def test_every_cursor_the_api_gave_out_is_taken_back_even_before_1900(
    archive_client, reader, archived
):
    seen: list[str] = []
    url = "/api/v1/events?limit=1"
    while url:
        response = await archive_client.get(url, headers=reader)
        assert response.status_code == 200, response.text
        seen.extend(event["time"] for event in response.json())
        cursor = response.headers.get("X-Next-Cursor")
        url = f"/api/v1/events?limit=1&cursor={cursor}" if cursor else ""

    assert len(seen) == 4
    assert seen[-1] == LONG_AGO.isoformat().replace("+00:00", "Z")


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        (f"/api/v1/events?time_from={BEFORE_1900}", "time_from"),
        (f"/api/v1/events?time_to={AFTER_2200}", "time_to"),
        ("/api/v1/events?time_from=1899-12-31T23:59:59Z", "time_from"),
        (f"/api/v1/search?q=hearing&time_from={BEFORE_1900}", "time_from"),
        (f"/api/v1/search?q=hearing&time_to={AFTER_2200}", "time_to"),
        (f"/api/v1/items?as_of={AFTER_2200}", "as_of"),
        (f"/api/v1/items/{ITEM}?as_of={BEFORE_1900}", "as_of"),
        (f"/api/v1/hearings?as_of={BEFORE_1900}", "as_of"),
        (f"/api/v1/hearings/{ITEM}?as_of={AFTER_2200}", "as_of"),
        (f"/api/v1/meetings?as_of={AFTER_2200}", "as_of"),
        (f"/api/v1/organizations/PACE/activity?as_of={BEFORE_1900}", "as_of"),
    ],
)
async def test_a_moment_outside_1900_to_2200_is_a_422_naming_the_parameter(
    archive_client, reader, archive_db, url, parameter
):
    response = await archive_client.get(url, headers=reader)

    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", parameter]
    assert "between the years 1900 and 2200" in error["msg"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/events?time_from=1900-01-01T00:00:00%2B14:00&time_to=2200-12-31T23:59:59-14:00",
        "/api/v1/items?as_of=2200-12-31T23:59:59-14:00",
        "/api/v1/items?date_from=1900-01-01&date_to=2200-12-31",
        "/api/v1/hearings?date_from=1900-01-01&date_to=2200-12-31",
        "/api/v1/meetings?date_from=1900-01-01&date_to=2200-12-31",
        "/api/v1/organizations/PACE/activity?date_from=1900-01-01&date_to=2200-12-31",
    ],
)
async def test_the_widest_ranges_accepted_are_answered(archive_client, reader, archived, url):
    response = await archive_client.get(url, headers=reader)

    assert response.status_code == 200, response.text
    assert response.json()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/api/v1/items?date_from=0", "must be written as RFC 3339 text, e.g. 2026-03-12"),
        ("/api/v1/hearings?date_from=0001-01-01", "between the years 1900 and 2200"),
        ("/api/v1/events?time_from=0.5", "must be written as RFC 3339 text"),
        ("/api/v1/items?as_of=1767225600", "must be written as RFC 3339 text"),
    ],
)
async def test_a_number_is_not_a_day_or_a_moment(archive_client, reader, archive_db, url, words):
    response = await archive_client.get(url, headers=reader)

    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert words in error["msg"]
