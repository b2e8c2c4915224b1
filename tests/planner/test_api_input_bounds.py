"""Values PostgreSQL cannot take (a NUL or a lone surrogate, moments beyond its reach) are
refused by the planner's API with a 422 naming the field, never passed on as a 503."""

from __future__ import annotations

import json
from typing import Any

import pytest

ORGANIZATIONS = "/api/v1/organizations"


def organization(**overrides: Any) -> dict[str, Any]:
    return {
        "code": "X2",
        "name": {"en": "Example organisation"},
        "classification": "ministry",
        **overrides,
    }


PATTERN = "should match pattern '^[a-z][a-z0-9_.-]{0,39}$'"


@pytest.mark.parametrize(
    ("scheme", "words"),
    [
        ("a\u0000b", PATTERN),
        ("\ud800", "unable to parse raw data as a unicode string"),
        ("Wikidata", PATTERN),
        ("has space", PATTERN),
        ("1isni", PATTERN),
        ("", PATTERN),
        ("x" * 41, PATTERN),
    ],
    ids=["nul", "lone-surrogate", "capitals", "space", "leading-digit", "empty", "too-long"],
)
async def test_an_identifier_scheme_that_is_not_a_short_name_is_422_and_nothing_registered(
    client, cleared_staff, sample_plan, scheme, words
):
    body = json.dumps(organization(identifiers={scheme: "v"}))  # \u escapes, as a client sends

    response = await client.post(
        ORGANIZATIONS,
        content=body.encode(),
        headers={**cleared_staff, "Content-Type": "application/json"},
    )

    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"][:2] == ["body", "identifiers"]
    assert error["loc"][-1] == "[key]"
    assert words in error["msg"]
    listed = await client.get(ORGANIZATIONS, headers=cleared_staff)
    assert "X2" not in {entry["code"] for entry in listed.json()}


async def test_identifiers_under_well_known_schemes_are_registered(
    client, cleared_staff, sample_plan
):
    identifiers = {"wikidata": "Q8908", "isni": "0000 0001 2176 3366", "ror.org": "03x1ewr52"}

    response = await client.post(
        ORGANIZATIONS, json=organization(identifiers=identifiers), headers=cleared_staff
    )

    assert response.status_code == 201, response.text
    shown = await client.get(f"{ORGANIZATIONS}/X2", headers=cleared_staff)
    assert shown.json()["identifiers"] == identifiers


@pytest.mark.parametrize("code", ["A%00B", "pace", "%ED%A0%80"])
async def test_an_organisation_code_in_the_path_that_is_not_a_code_is_422(
    client, staff, sample_plan, code
):
    response = await client.get(f"{ORGANIZATIONS}/{code}", headers=staff)

    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["path", "code"]


@pytest.mark.parametrize(
    ("parameter", "value", "words"),
    [
        ("starts_from", "0001-01-01T00:00:00+14:00", "between the years 1900 and 2200"),
        ("starts_before", "9999-12-31T23:59:59-14:00", "between the years 1900 and 2200"),
        ("starts_from", "1899-12-31T23:59:59Z", "between the years 1900 and 2200"),
        ("starts_before", "2026-03-12T11:00:00", "timezone"),
        ("starts_from", "0.5", "must be written as RFC 3339 text"),
        ("starts_from", "1767225600", "must be written as RFC 3339 text"),
    ],
)
async def test_a_hearing_list_bound_outside_1900_to_2200_is_422_naming_it(
    client, staff, sample_plan, parameter, value, words
):
    response = await client.get("/api/v1/hearings", params={parameter: value}, headers=staff)

    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", parameter]
    assert words in error["msg"]


async def test_the_widest_list_bounds_accepted_are_answered(client, staff, sample_plan):
    hearings = await client.get(
        "/api/v1/hearings",
        params={"starts_from": "1900-01-01T00:00:00+14:00", "starts_before": "2200-12-31T23:00Z"},
        headers=staff,
    )
    meetings = await client.get(
        "/api/v1/meetings",
        params={"held_from": "1900-01-01", "held_before": "2200-12-31"},
        headers=staff,
    )

    assert hearings.status_code == 200, hearings.text
    assert meetings.status_code == 200, meetings.text


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("0", "must be written as RFC 3339 text, e.g. 2026-03-12"),
        ("1767225600", "must be written as RFC 3339 text"),
        ("0001-01-01", "between the years 1900 and 2200"),
        ("9999-12-31", "between the years 1900 and 2200"),
    ],
)
async def test_a_meeting_list_day_that_is_a_number_or_implausible_is_422(
    client, staff, sample_plan, value, words
):
    response = await client.get("/api/v1/meetings", params={"held_from": value}, headers=staff)

    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "held_from"]
    assert words in error["msg"]
