"""The staff API answers what a clerk or an API caller expects: precise statuses and messages."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from pydantic import SecretStr

from shared.auth.tokens import mint_token
from shared.settings import WorkplanSettings
from tests.support import bearer

ITEMS = "/api/v1/items"
NOWHERE = "00000000-0000-4000-8000-000000000000"


def new_item(**overrides: Any) -> dict[str, Any]:
    return {
        "committee": "MM-IRIPT",
        "session": "2026-spring",
        "ref": "pace-april-part-session",
        "title": {"az": "AŞPA-nın aprel sessiyası", "en": "PACE April part-session"},
        "category": "delegation_support",
        "organizations": ["PACE"],
        "owners": ["Head of the delegation to PACE"],
        "period_start": "2026-04-20",
        "period_end": "2026-04-24",
        "tags": ["pace"],
        **overrides,
    }


def hearing(day: int = 12, start: int = 11, end: int = 13, **overrides: Any) -> dict[str, Any]:
    """A hearing in March 2026, times in Baku (+04:00)."""
    return {
        "starts_at": f"2026-03-{day:02d}T{start:02d}:00:00+04:00",
        "ends_at": f"2026-03-{day:02d}T{end:02d}:00:00+04:00",
        "location": "Milli Majlis, Hall 2",
        **overrides,
    }


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def errors_at(response: httpx.Response) -> dict[tuple[str, ...], str]:
    """A validation answer as location → message, e.g. ("body", "title") → "..."."""
    detail = response.json()["detail"]
    assert isinstance(detail, list), detail
    return {tuple(str(part) for part in error["loc"]): error["msg"] for error in detail}


async def schedule(client, headers, item_id: str, body: dict[str, Any]) -> httpx.Response:
    return await client.post(f"{ITEMS}/{item_id}/hearings", json=body, headers=headers)


async def scheduled(client, headers, item_id: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await schedule(client, headers, item_id, body)
    assert response.status_code == 201, response.text
    return response.json()


# --- authentication and scopes -----------------------------------------------------------------


async def test_no_token_is_401_asking_for_a_bearer_token(client, sample_plan):
    response = await client.get(ITEMS)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"] == "a bearer token is required"


async def test_garbage_token_is_401_invalid_token(client, sample_plan):
    response = await client.get(ITEMS, headers={"Authorization": "Bearer not.a.jwt"})

    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert response.json()["detail"] == (
        "the bearer token is malformed: not a JSON Web Token this service can read"
    )


async def test_token_without_write_scope_cannot_create_an_item(
    client, settings, staff, sample_plan
):
    reader = bearer(settings, "planner:read")

    response = await client.post(ITEMS, json=new_item(), headers=reader)

    assert response.status_code == 403
    assert response.json()["detail"] == "this needs the 'planner:write' scope"
    assert 'scope="planner:write"' in response.headers["WWW-Authenticate"]
    listed = await client.get(ITEMS, params={"limit": 500}, headers=staff)
    assert "pace-april-part-session" not in {item["ref"] for item in listed.json()}


async def test_token_signed_with_another_key_is_401(client, sample_plan):
    stranger = WorkplanSettings(jwt_secret=SecretStr("some-other-key-" + "x" * 32), _env_file=None)
    token = mint_token(stranger, subject="intruder", scopes=["planner:read", "planner:write"])

    response = await client.post(
        ITEMS, json=new_item(), headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 401
    assert (
        response.json()["detail"] == "the bearer token is not signed by a key this service trusts"
    )


async def test_expired_token_is_401_saying_it_expired(client, settings, sample_plan):
    token = mint_token(settings, subject="test", scopes=["planner:read"], ttl=timedelta(seconds=-5))

    response = await client.get(ITEMS, headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401
    assert response.json()["detail"] == "the bearer token has expired; mint a new one"


# --- creating items ----------------------------------------------------------------------------


async def test_create_item_answers_201_with_the_item(client, staff, sample_plan):
    response = await client.post(ITEMS, json=new_item(), headers=staff)

    assert response.status_code == 201, response.text
    body = response.json()
    uuid.UUID(body["id"])
    assert body["ref"] == "pace-april-part-session"
    assert (body["committee"], body["session"]) == ("MM-IRIPT", "2026-spring")
    assert body["title"]["az"] == "AŞPA-nın aprel sessiyası"
    assert body["organizations"] == ["PACE"]
    assert (body["period_start"], body["period_end"]) == ("2026-04-20", "2026-04-24")
    assert body["status"] == "planned"
    assert body["classification"] == "public"
    assert body["description"] == {}
    assert body["version"] == 1
    fetched = await client.get(f"{ITEMS}/{body['id']}", headers=staff)
    assert fetched.status_code == 200
    assert fetched.json()["title"] == body["title"]
    assert fetched.json()["hearings"] == fetched.json()["meetings"] == []


async def test_create_item_naming_an_unknown_organisation_is_422_naming_it(
    client, staff, sample_plan
):
    response = await client.post(
        ITEMS, json=new_item(organizations=["PACE", "NOSUCH-ORG"]), headers=staff
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "unknown organisation(s): NOSUCH-ORG"
    assert response.json()["error"] == "RuleViolation"


async def test_create_item_in_an_unknown_session_is_404(client, staff, sample_plan):
    response = await client.post(ITEMS, json=new_item(session="2030-autumn"), headers=staff)

    assert response.status_code == 404
    assert response.json()["detail"] == "committee 'MM-IRIPT' has no session '2030-autumn'"


async def test_create_item_with_a_ref_already_in_the_plan_is_409(client, staff, sample_plan):
    response = await client.post(ITEMS, json=new_item(ref="mfa-meetings"), headers=staff)

    assert response.status_code == 409
    assert response.json()["detail"] == "the work plan already has an item with ref 'mfa-meetings'"


async def test_create_item_with_an_unknown_field_is_422(client, staff, sample_plan):
    response = await client.post(ITEMS, json=new_item(colour="blue"), headers=staff)

    assert response.status_code == 422
    assert errors_at(response)[("body", "colour")] == "Extra inputs are not permitted"


async def test_create_item_with_an_empty_title_is_422(client, staff, sample_plan):
    response = await client.post(ITEMS, json=new_item(title={}), headers=staff)

    assert response.status_code == 422
    assert "at least 1 item" in errors_at(response)[("body", "title")]


async def test_create_item_whose_period_ends_before_it_starts_is_422(client, staff, sample_plan):
    response = await client.post(
        ITEMS, json=new_item(period_start="2026-04-24", period_end="2026-04-20"), headers=staff
    )

    assert response.status_code == 422
    assert (
        response.json()["detail"]
        == "the item's period ends (2026-04-20) before it starts (2026-04-24)"
    )


# --- changing items ----------------------------------------------------------------------------


async def test_patch_changes_only_the_fields_sent_and_raises_the_version(
    client, staff, sample_plan
):
    item_id = sample_plan["justice-for-khojaly-campaign"]
    before = (await client.get(f"{ITEMS}/{item_id}", headers=staff)).json()

    response = await client.patch(
        f"{ITEMS}/{item_id}",
        json={"owners": ["Committee chair"], "tags": ["khojaly", "priority"], "period_end": None},
        headers=staff,
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["owners"] == ["Committee chair"]
    assert body["tags"] == ["khojaly", "priority"]
    assert body["period_end"] is None
    assert body["version"] == before["version"] + 1
    assert body["title"] == before["title"]
    assert body["description"] == before["description"]
    assert body["status"] == before["status"]
    after = (await client.get(f"{ITEMS}/{item_id}", headers=staff)).json()
    assert after["owners"] == ["Committee chair"]
    assert after["version"] == body["version"]


async def test_patch_with_the_current_values_keeps_the_version(client, staff, sample_plan):
    item_id = sample_plan["mfa-meetings"]
    before = (await client.get(f"{ITEMS}/{item_id}", headers=staff)).json()

    response = await client.patch(
        f"{ITEMS}/{item_id}", json={"owners": before["owners"]}, headers=staff
    )

    assert response.status_code == 200
    assert response.json()["version"] == before["version"]


async def test_patch_setting_title_to_null_is_422(client, staff, sample_plan):
    item_id = sample_plan["mfa-meetings"]

    response = await client.patch(f"{ITEMS}/{item_id}", json={"title": None}, headers=staff)

    assert response.status_code == 422
    assert "these fields cannot be null: title" in errors_at(response)[("body",)]


async def test_patch_with_an_empty_body_is_422(client, staff, sample_plan):
    item_id = sample_plan["mfa-meetings"]

    response = await client.patch(f"{ITEMS}/{item_id}", json={}, headers=staff)

    assert response.status_code == 422
    assert "send at least one field to change" in errors_at(response)[("body",)]


async def test_patch_naming_an_unknown_organisation_is_422_and_changes_nothing(
    client, staff, sample_plan
):
    item_id = sample_plan["mfa-meetings"]

    response = await client.patch(
        f"{ITEMS}/{item_id}", json={"organizations": ["MFA", "NOSUCH"]}, headers=staff
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "unknown organisation(s): NOSUCH"
    after = (await client.get(f"{ITEMS}/{item_id}", headers=staff)).json()
    assert after["organizations"] == ["MFA"]


async def test_patch_of_an_unknown_item_is_404(client, staff, sample_plan):
    response = await client.patch(f"{ITEMS}/{NOWHERE}", json={"tags": ["x"]}, headers=staff)

    assert response.status_code == 404
    assert response.json()["detail"] == f"no item {NOWHERE}"


async def test_patch_with_an_invalid_uuid_in_the_path_is_422(client, staff, sample_plan):
    response = await client.patch(f"{ITEMS}/not-a-uuid", json={"tags": ["x"]}, headers=staff)

    assert response.status_code == 422
    assert "valid UUID" in errors_at(response)[("path", "item_id")]


# --- item status -------------------------------------------------------------------------------


async def test_item_goes_planned_in_progress_completed_and_not_back(client, staff, sample_plan):
    item_id = sample_plan["us-congress-engagement"]
    url = f"{ITEMS}/{item_id}/status"

    started = await client.post(url, json={"status": "in_progress"}, headers=staff)
    assert started.status_code == 200, started.text
    assert started.json()["status"] == "in_progress"

    done = await client.post(
        url, json={"status": "completed", "reason": "Visit held"}, headers=staff
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed"
    assert done.json()["version"] == started.json()["version"] + 1

    back = await client.post(url, json={"status": "planned"}, headers=staff)
    assert back.status_code == 409
    assert back.json()["detail"] == (
        f"item {item_id} cannot go from completed to planned (allowed: none: it is final)"
    )
    current = (await client.get(f"{ITEMS}/{item_id}", headers=staff)).json()
    assert current["status"] == "completed"


async def test_unknown_status_is_422(client, staff, sample_plan):
    item_id = sample_plan["us-congress-engagement"]

    response = await client.post(
        f"{ITEMS}/{item_id}/status", json={"status": "done"}, headers=staff
    )

    assert response.status_code == 422
    assert "planned" in errors_at(response)[("body", "status")]


# --- hearings ----------------------------------------------------------------------------------


async def test_schedule_a_hearing_answers_201_in_utc_with_the_session_zone(
    client, staff, sample_plan
):
    item_id = sample_plan["national-interests-hearings"]

    body = await scheduled(client, staff, item_id, hearing())

    assert body["status"] == "scheduled"
    assert body["item_id"] == item_id
    assert (body["committee"], body["session"], body["timezone"]) == (
        "MM-IRIPT",
        "2026-spring",
        "Asia/Baku",
    )
    assert instant(body["starts_at"]) == instant("2026-03-12T07:00:00+00:00")
    assert instant(body["ends_at"]) == instant("2026-03-12T09:00:00+00:00")
    assert body["title"]["en"].startswith("Hearings on defending Azerbaijan")  # the item's title
    assert body["location"] == "Milli Majlis, Hall 2"
    assert body["version"] == 1


async def test_overlapping_hearing_is_409_unless_allow_overlap(client, staff, sample_plan):
    first = await scheduled(client, staff, sample_plan["national-interests-hearings"], hearing())
    other_item = sample_plan["justice-for-khojaly-campaign"]

    clash = await schedule(client, staff, other_item, hearing(start=12, end=14))

    assert clash.status_code == 409
    detail = clash.json()["detail"]
    assert f"overlaps hearing {first['id']}" in detail
    assert "(2026-03-12 11:00 (Asia/Baku) to 2026-03-12 13:00 (Asia/Baku))" in detail
    assert "committee MM-IRIPT" in detail
    assert "set allow_overlap to schedule it anyway" in detail

    allowed = await schedule(
        client, staff, other_item, hearing(start=12, end=14, allow_overlap=True)
    )
    assert allowed.status_code == 201, allowed.text


async def test_back_to_back_hearings_do_not_overlap(client, staff, sample_plan):
    await scheduled(client, staff, sample_plan["national-interests-hearings"], hearing())

    response = await schedule(
        client, staff, sample_plan["justice-for-khojaly-campaign"], hearing(start=13, end=15)
    )

    assert response.status_code == 201, response.text


async def test_hearing_outside_the_session_is_422_naming_the_session(client, staff, sample_plan):
    item_id = sample_plan["national-interests-hearings"]
    july = {"starts_at": "2026-07-02T11:00:00+04:00", "ends_at": "2026-07-02T13:00:00+04:00"}

    response = await schedule(client, staff, item_id, july)

    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "lies outside session 2026-spring" in detail
    assert "2026-02-01 to 2026-05-31, Asia/Baku" in detail


async def test_hearing_ending_before_it_starts_is_422(client, staff, sample_plan):
    item_id = sample_plan["national-interests-hearings"]

    response = await schedule(client, staff, item_id, hearing(start=13, end=11))

    assert response.status_code == 422
    assert response.json()["detail"] == (
        "the hearing must end after it starts "
        "(2026-03-12 11:00 (Asia/Baku) is not after 2026-03-12 13:00 (Asia/Baku))"
    )


async def test_hearing_time_without_offset_is_422(client, staff, sample_plan):
    item_id = sample_plan["national-interests-hearings"]
    naive = {"starts_at": "2026-03-12T11:00:00", "ends_at": "2026-03-12T13:00:00+04:00"}

    response = await schedule(client, staff, item_id, naive)

    assert response.status_code == 422
    assert "timezone" in errors_at(response)[("body", "starts_at")]


async def test_cancelled_hearing_keeps_its_reason_and_cannot_be_held_or_moved(
    client, staff, sample_plan
):
    item_id = sample_plan["national-interests-hearings"]
    created = await scheduled(client, staff, item_id, hearing())
    url = f"/api/v1/hearings/{created['id']}"

    cancelled = await client.post(
        f"{url}/cancel", json={"reason": "Witnesses unavailable"}, headers=staff
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancel_reason"] == "Witnesses unavailable"

    held = await client.post(f"{url}/held", json={}, headers=staff)
    assert held.status_code == 409
    assert held.json()["detail"] == (
        f"hearing {created['id']} was cancelled (Witnesses unavailable) and cannot be held"
    )

    moved = await client.post(f"{url}/reschedule", json=hearing(day=19), headers=staff)
    assert moved.status_code == 409
    assert moved.json()["detail"] == (
        f"hearing {created['id']} is cancelled and cannot be rescheduled"
    )

    kept = await client.get(url, headers=staff)
    assert kept.json()["status"] == "cancelled"
    item = (await client.get(f"{ITEMS}/{item_id}", headers=staff)).json()
    assert item["status"] == "planned"


async def test_a_cancelled_hearing_frees_its_slot(client, staff, sample_plan):
    created = await scheduled(client, staff, sample_plan["national-interests-hearings"], hearing())
    await client.post(
        f"/api/v1/hearings/{created['id']}/cancel", json={"reason": "Postponed"}, headers=staff
    )

    response = await schedule(client, staff, sample_plan["justice-for-khojaly-campaign"], hearing())

    assert response.status_code == 201, response.text


async def test_reschedule_keeps_the_previous_start(client, staff, sample_plan):
    created = await scheduled(client, staff, sample_plan["national-interests-hearings"], hearing())

    moved = await client.post(
        f"/api/v1/hearings/{created['id']}/reschedule",
        json={
            "starts_at": "2026-03-19T15:00:00+04:00",
            "ends_at": "2026-03-19T17:00:00+04:00",
            "location": "Hall 3",
            "reason": "Rapporteur abroad",
        },
        headers=staff,
    )

    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert body["status"] == "rescheduled"
    assert instant(body["previous_starts_at"]) == instant("2026-03-12T11:00:00+04:00")
    assert instant(body["starts_at"]) == instant("2026-03-19T11:00:00+00:00")
    assert body["location"] == "Hall 3"
    assert body["version"] == 2
    stored = (await client.get(f"/api/v1/hearings/{created['id']}", headers=staff)).json()
    assert instant(stored["previous_starts_at"]) == instant("2026-03-12T07:00:00+00:00")


async def test_reschedule_to_the_same_time_and_place_is_409(client, staff, sample_plan):
    created = await scheduled(client, staff, sample_plan["national-interests-hearings"], hearing())

    response = await client.post(
        f"/api/v1/hearings/{created['id']}/reschedule",
        json={"starts_at": "2026-03-12T07:00:00Z", "ends_at": "2026-03-12T09:00:00Z"},
        headers=staff,
    )

    assert response.status_code == 409
    assert "already at that time and place" in response.json()["detail"]


async def test_holding_a_hearing_moves_its_planned_item_in_progress(client, staff, sample_plan):
    item_id = sample_plan["national-interests-hearings"]
    created = await scheduled(client, staff, item_id, hearing())

    held = await client.post(
        f"/api/v1/hearings/{created['id']}/held",
        json={"held_at": "2026-03-12T13:05:00+04:00", "summary": {"en": "Three witnesses heard."}},
        headers=staff,
    )

    assert held.status_code == 200, held.text
    assert held.json()["status"] == "held"
    assert held.json()["summary"] == {"en": "Three witnesses heard."}
    item = (await client.get(f"{ITEMS}/{item_id}", headers=staff)).json()
    assert item["status"] == "in_progress"
    assert [(h["id"], h["status"]) for h in item["hearings"]] == [(created["id"], "held")]


async def test_no_hearing_for_a_completed_item(client, staff, sample_plan):
    item_id = sample_plan["national-interests-hearings"]
    await client.post(f"{ITEMS}/{item_id}/status", json={"status": "completed"}, headers=staff)

    response = await schedule(client, staff, item_id, hearing())

    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"item {item_id} is completed; no hearing can be scheduled for it"
    )


# --- restricted items --------------------------------------------------------------------------


async def test_restricted_item_is_hidden_from_staff_without_clearance(
    client, staff, cleared_staff, sample_plan
):
    created = await client.post(
        ITEMS,
        json=new_item(ref="sensitive-talks", classification="restricted"),
        headers=cleared_staff,
    )
    assert created.status_code == 201, created.text
    item_id = created.json()["id"]

    hidden = await client.get(f"{ITEMS}/{item_id}", headers=staff)
    assert hidden.status_code == 404
    assert hidden.json()["detail"] == f"no item {item_id}"
    listed = await client.get(ITEMS, params={"limit": 500}, headers=staff)
    assert item_id not in {item["id"] for item in listed.json()}
    assert len(listed.json()) == len(sample_plan)
    patched = await client.patch(f"{ITEMS}/{item_id}", json={"tags": ["leak"]}, headers=staff)
    assert patched.status_code == 404

    seen = await client.get(f"{ITEMS}/{item_id}", headers=cleared_staff)
    assert seen.status_code == 200
    assert seen.json()["classification"] == "restricted"
    assert seen.json()["tags"] == ["pace"]
    listed = await client.get(ITEMS, params={"limit": 500}, headers=cleared_staff)
    assert item_id in {item["id"] for item in listed.json()}


async def test_hearings_of_an_item_that_became_restricted_are_hidden_too(
    client, staff, cleared_staff, sample_plan
):
    item_id = sample_plan["national-interests-hearings"]
    created = await scheduled(client, staff, item_id, hearing())
    restricted = await client.patch(
        f"{ITEMS}/{item_id}", json={"classification": "restricted"}, headers=cleared_staff
    )
    assert restricted.status_code == 200

    response = await client.get(f"/api/v1/hearings/{created['id']}", headers=staff)

    assert response.status_code == 404


async def test_meeting_recorded_by_uncleared_staff_is_not_linked_to_a_restricted_item(
    client, staff, cleared_staff, sample_plan
):
    item_id = sample_plan["mfa-meetings"]
    await client.patch(
        f"{ITEMS}/{item_id}", json={"classification": "restricted"}, headers=cleared_staff
    )

    response = await client.post(
        "/api/v1/meetings",
        json={"organizations": ["MFA"], "held_at": "2026-02-18T10:00:00+04:00"},
        headers=staff,
    )

    assert response.status_code == 201
    assert response.json()["item_id"] != item_id


# --- meetings ----------------------------------------------------------------------------------


async def test_meeting_with_an_organisation_links_to_its_open_item_and_starts_it(
    client, staff, sample_plan
):
    response = await client.post(
        "/api/v1/meetings",
        json={
            "organizations": ["MFA"],
            "held_at": "2026-02-18T10:00:00+04:00",
            "title": {"en": "Briefing by the Ministry of Foreign Affairs"},
            "participants": [{"name": "Deputy minister", "role": "speaker"}],
        },
        headers=staff,
    )

    assert response.status_code == 201, response.text
    meeting = response.json()
    assert meeting["item_id"] == sample_plan["mfa-meetings"]
    assert (meeting["committee"], meeting["session"]) == ("MM-IRIPT", "2026-spring")
    assert meeting["source"] == "urn:workplan:planner"
    assert meeting["organizations"] == ["MFA"]
    item = (await client.get(f"{ITEMS}/{sample_plan['mfa-meetings']}", headers=staff)).json()
    assert item["status"] == "in_progress"
    assert [m["id"] for m in item["meetings"]] == [meeting["id"]]


async def test_hearings_and_meetings_answer_times_in_utc_whatever_offset_was_sent(
    client, staff, sample_plan
):
    meeting = await client.post(
        "/api/v1/meetings",
        json={"organizations": ["MFA"], "held_at": "2026-02-18T10:00:00+04:00"},
        headers=staff,
    )
    created = await scheduled(client, staff, sample_plan["national-interests-hearings"], hearing())

    assert meeting.json()["held_at"] == "2026-02-18T06:00:00Z"
    assert (created["starts_at"], created["ends_at"]) == (
        "2026-03-12T07:00:00Z",
        "2026-03-12T09:00:00Z",
    )
    mfa = {"organization": "MFA"}  # not the sample plan's meetings
    [listed] = (await client.get("/api/v1/meetings", params=mfa, headers=staff)).json()
    assert listed["held_at"] == "2026-02-18T06:00:00Z"


async def test_meeting_with_an_unknown_organisation_is_422_and_not_recorded(
    client, staff, sample_plan
):
    response = await client.post(
        "/api/v1/meetings",
        json={"organizations": ["MFA", "NOSUCH"], "held_at": "2026-02-18T10:00:00+04:00"},
        headers=staff,
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "unknown organisation(s): NOSUCH"
    with_mfa = await client.get("/api/v1/meetings", params={"organization": "MFA"}, headers=staff)
    assert with_mfa.json() == []
    item = (await client.get(f"{ITEMS}/{sample_plan['mfa-meetings']}", headers=staff)).json()
    assert item["status"] == "planned"


async def test_meeting_reported_as_held_in_the_future_is_refused_in_the_session_zone(
    client, staff, sample_plan
):
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    response = await client.post(
        "/api/v1/meetings",
        json={
            "organizations": ["MFA"],
            "held_at": tomorrow.isoformat(),
            "item_id": sample_plan["mfa-meetings"],
        },
        headers=staff,
    )

    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert "in the future" in detail
    baku = tomorrow.astimezone(ZoneInfo("Asia/Baku"))
    assert f"{baku:%Y-%m-%d %H:%M} (Asia/Baku)" in detail
    mfa = {"organization": "MFA"}  # not the sample plan's meetings
    assert (await client.get("/api/v1/meetings", params=mfa, headers=staff)).json() == []


async def test_meeting_outside_its_items_session_is_refused_naming_the_session(
    client, staff, sample_plan
):
    response = await client.post(
        "/api/v1/meetings",
        json={
            "organizations": ["MFA"],
            "held_at": "2026-07-02T07:00:00Z",
            "item_id": sample_plan["mfa-meetings"],
        },
        headers=staff,
    )

    assert response.status_code == 422, response.text
    assert response.json()["detail"] == (
        "the meeting held 2026-07-02 11:00 (Asia/Baku) lies outside "
        "session 2026-spring (2026-02-01 to 2026-05-31, Asia/Baku)"
    )
    item = (await client.get(f"{ITEMS}/{sample_plan['mfa-meetings']}", headers=staff)).json()
    assert (item["status"], item["meetings"]) == ("planned", [])


async def test_meeting_outside_every_open_items_session_is_recorded_unlinked(
    client, staff, sample_plan
):
    response = await client.post(
        "/api/v1/meetings",
        json={"organizations": ["MFA"], "held_at": "2025-11-20T10:00:00+04:00"},
        headers=staff,
    )

    assert response.status_code == 201, response.text
    assert response.json()["item_id"] is None
    item = (await client.get(f"{ITEMS}/{sample_plan['mfa-meetings']}", headers=staff)).json()
    assert item["status"] == "planned"


# --- listing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [0, 501, -1])
async def test_list_limit_outside_1_to_500_is_422(client, staff, sample_plan, limit):
    response = await client.get(ITEMS, params={"limit": limit}, headers=staff)

    assert response.status_code == 422
    assert ("query", "limit") in errors_at(response)


async def test_list_limit_and_offset_page_through_the_plan(client, staff, sample_plan):
    everything = (await client.get(ITEMS, params={"limit": 500}, headers=staff)).json()
    first = (await client.get(ITEMS, params={"limit": 5}, headers=staff)).json()
    rest = (await client.get(ITEMS, params={"limit": 500, "offset": 5}, headers=staff)).json()

    assert len(everything) == len(sample_plan) == 12
    assert [item["id"] for item in first + rest] == [item["id"] for item in everything]


async def test_items_are_listed_by_reference_with_the_total_in_a_header(client, staff, sample_plan):
    await client.post(ITEMS, json=new_item(ref="aaa-first-by-reference"), headers=staff)

    first = await client.get(ITEMS, params={"limit": 5}, headers=staff)
    rest = await client.get(ITEMS, params={"limit": 500, "offset": 5}, headers=staff)

    refs = [item["ref"] for item in first.json() + rest.json()]
    assert refs == sorted(refs)
    assert refs[0] == "aaa-first-by-reference"
    assert first.headers["X-Total-Count"] == rest.headers["X-Total-Count"] == "13"
    filtered = await client.get(ITEMS, params={"organization": "PACE", "limit": 1}, headers=staff)
    assert filtered.headers["X-Total-Count"] == "2"


async def test_hearings_are_listed_by_start_with_the_total_in_a_header(client, staff, sample_plan):
    item_id = sample_plan["national-interests-hearings"]
    for day in (20, 5, 12):
        await scheduled(client, staff, item_id, hearing(day=day))

    ours = {"limit": 2, "item_id": item_id}  # not the sample plan's hearings
    response = await client.get("/api/v1/hearings", params=ours, headers=staff)

    starts = [instant(h["starts_at"]).day for h in response.json()]
    assert starts == [5, 12]
    assert response.headers["X-Total-Count"] == "3"
    mfa = {"organization": "MFA"}
    meetings = await client.get("/api/v1/meetings", params=mfa, headers=staff)
    assert meetings.headers["X-Total-Count"] == "0"


@pytest.mark.parametrize(
    "path", ["/api/v1/items", "/api/v1/hearings", "/api/v1/meetings", "/api/v1/organizations"]
)
async def test_a_list_asked_for_as_csv_is_refused_not_answered_as_json(
    client, staff, sample_plan, path
):
    response = await client.get(path, params={"format": "csv"}, headers=staff)

    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "format"]
    assert "'json'" in error["msg"]
    assert (await client.get(path, params={"format": "json"}, headers=staff)).status_code == 200


async def test_list_filtered_by_organisation_returns_only_items_naming_it(
    client, staff, sample_plan
):
    created = await client.post(ITEMS, json=new_item(organizations=["PACE", "MFA"]), headers=staff)
    assert created.status_code == 201

    response = await client.get(ITEMS, params={"organization": "PACE"}, headers=staff)

    assert response.status_code == 200
    found = response.json()
    assert {item["ref"] for item in found} == {
        "international-delegations-support",
        "pace-april-part-session",
    }
    assert all("PACE" in item["organizations"] for item in found)


async def test_list_filtered_by_a_malformed_organisation_code_is_422(client, staff, sample_plan):
    response = await client.get(ITEMS, params={"organization": "pace"}, headers=staff)

    assert response.status_code == 422
    assert ("query", "organization") in errors_at(response)


# --- nothing a caller sends yields a 500 -------------------------------------------------------

LONG = "x" * 10_000
MALFORMED = [
    ("items: not JSON", "post", "items", b"{not json"),
    ("items: JSON array", "post", "items", b"[]"),
    ("items: JSON string", "post", "items", b'"item"'),
    ("items: title is a string", "post", "items", new_item(title="PACE")),
    ("items: title language not a tag", "post", "items", new_item(title={"English": "x"})),
    ("items: organizations is a string", "post", "items", new_item(organizations="PACE")),
    ("items: unknown category", "post", "items", new_item(category="party")),
    ("items: period_start not a date", "post", "items", new_item(period_start="soon")),
    ("items: tags are numbers", "post", "items", new_item(tags=[1, 2])),
    ("items: owner of 10,000 characters", "post", "items", new_item(owners=[LONG])),
    ("items: ref with spaces", "post", "items", new_item(ref="not a ref")),
    ("patch: JSON array", "patch", "item", b"[]"),
    ("patch: tags is an object", "patch", "item", {"tags": {"a": 1}}),
    ("status: not a string", "post", "status", {"status": 3}),
    (
        "status: reason of 10,000 characters",
        "post",
        "status",
        {"status": "deferred", "reason": LONG},
    ),
    ("hearing: location of 10,000 characters", "post", "hearings", hearing(location=LONG)),
    ("hearing: starts_at not a time", "post", "hearings", hearing(starts_at="tomorrow")),
    ("hearing: allow_overlap not a boolean", "post", "hearings", hearing(allow_overlap="maybe")),
    ("hearing: witness without a name", "post", "hearings", hearing(witnesses=[{"x": 1}])),
    ("reschedule: location of 10,000 characters", "post", "reschedule", hearing(location=LONG)),
    ("cancel: reason of 10,000 characters", "post", "cancel", {"reason": LONG}),
    ("cancel: no reason", "post", "cancel", {}),
    ("held: summary is a list", "post", "held", {"summary": ["done"]}),
    (
        "meetings: location of 10,000 characters",
        "post",
        "meetings",
        {"organizations": ["MFA"], "held_at": "2026-02-18T10:00:00+04:00", "location": LONG},
    ),
    (
        "meetings: no organisation",
        "post",
        "meetings",
        {"organizations": [], "held_at": "2026-02-18T10:00:00+04:00"},
    ),
    (
        "meetings: item_id not a UUID",
        "post",
        "meetings",
        {"organizations": ["MFA"], "held_at": "2026-02-18T10:00:00+04:00", "item_id": "7"},
    ),
]


@pytest.mark.parametrize(
    ("method", "target", "payload"),
    [case[1:] for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
async def test_malformed_body_is_a_422_never_a_500(
    client, staff, sample_plan, method, target, payload
):
    item_id = sample_plan["national-interests-hearings"]
    url = {
        "items": ITEMS,
        "item": f"{ITEMS}/{item_id}",
        "status": f"{ITEMS}/{item_id}/status",
        "hearings": f"{ITEMS}/{item_id}/hearings",
        "reschedule": f"/api/v1/hearings/{NOWHERE}/reschedule",
        "cancel": f"/api/v1/hearings/{NOWHERE}/cancel",
        "held": f"/api/v1/hearings/{NOWHERE}/held",
        "meetings": "/api/v1/meetings",
    }[target]
    content = payload if isinstance(payload, bytes) else json.dumps(payload).encode()

    response = await client.request(
        method, url, content=content, headers={**staff, "Content-Type": "application/json"}
    )

    assert response.status_code < 500, response.text
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)
    unchanged = (await client.get(f"{ITEMS}/{item_id}", headers=staff)).json()
    assert unchanged["version"] == 1
    assert unchanged["hearings"] == []


@pytest.mark.parametrize(
    ("url", "payload"),
    [
        (ITEMS, new_item(title={"en": "PACE\u0000"})),
        (ITEMS, new_item(owners=["Chair\u0000"])),
        ("/api/v1/meetings", {"organizations": ["MFA"], "held_at": "0001-01-01T00:00:00+01:00"}),
        ("/api/v1/meetings", {"organizations": ["MFA"], "held_at": "9999-12-31T23:00:00-05:00"}),
    ],
    ids=["nul-in-title", "nul-in-owner", "held-before-year-1-utc", "held-after-year-9999-utc"],
)
async def test_text_and_times_the_database_cannot_store_are_refused_as_422(
    client, staff, sample_plan, url, payload
):
    response = await client.post(url, json=payload, headers=staff)

    assert response.status_code == 422, response.text


async def test_a_change_whose_event_would_be_too_big_for_the_bus_is_422_and_not_made(
    client, staff, sample_plan
):
    long_text = "🏛" * 20_000  # 4 bytes each in UTF-8: 80 KB per language
    languages = ["az", "en", "ru", "tr", "fr", "de", "es", "it", "ar", "fa", "ka", "uk"]
    headers = {**staff, "Content-Type": "application/json"}
    body = new_item(title=dict.fromkeys(languages, long_text))  # ~960 KB: an event fits
    created = await client.post(
        ITEMS, content=json.dumps(body, ensure_ascii=False).encode(), headers=headers
    )
    assert created.status_code == 201, created.text
    item_id = created.json()["id"]

    patch = {"description": dict.fromkeys(languages, long_text)}  # the event would be ~1.9 MB
    refused = await client.patch(
        f"{ITEMS}/{item_id}",
        content=json.dumps(patch, ensure_ascii=False).encode(),
        headers=headers,
    )

    assert refused.status_code == 422, refused.text
    assert "over the 1,048,576 an event may hold" in refused.json()["detail"]
    unchanged = (await client.get(f"{ITEMS}/{item_id}", headers=staff)).json()
    assert (unchanged["version"], unchanged["description"]) == (1, {})
