"""Input that breaks naive error handling gets a precise 422 in every service's API.

The rules live in ``shared/runtime/http_errors.py``, installed on every service's app;
they are shown here through the planner.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

ORGANIZATIONS = "/api/v1/organizations"


@pytest.mark.parametrize(
    ("body", "field", "shown"),
    [
        # a lone surrogate: valid JSON escape, not encodable text
        (b'{"code":"X1","name":{"en":"\\ud800"},"classification":"ministry"}', "en", "\\ud800"),
        # a number no float holds, and a bare NaN (Python's JSON reads both)
        (b'{"code":1e400,"name":{"en":"a"},"classification":"ministry"}', "code", "inf"),
        (b'{"code":NaN,"name":{"en":"a"},"classification":"ministry"}', "code", "nan"),
    ],
)
async def test_an_unencodable_value_in_a_body_is_a_422_naming_the_field(
    client, cleared_staff, sample_plan, body, field, shown
):
    response = await client.post(
        ORGANIZATIONS, content=body, headers={**cleared_staff, "Content-Type": "application/json"}
    )

    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"][-1] == field
    assert error["input"] == shown  # made printable, never a broken response
    listed = await client.get(ORGANIZATIONS, headers=cleared_staff)
    assert "X1" not in {organization["code"] for organization in listed.json()}


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/items?committee=a%00b", "committee"),
        ("/api/v1/hearings?session=2026%00", "session"),
        ("/api/v1/meetings?organization=MFA&committee=%00", "committee"),
        ("/api/v1/items?unknown%00name=1", "unknown\x00name"),
    ],
)
async def test_a_nul_in_any_query_parameter_is_a_422_naming_it(
    client, staff, sample_plan, path, parameter
):
    response = await client.get(path, headers=staff)

    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", parameter]
    assert "NUL" in error["msg"]


async def test_clean_query_parameters_pass_the_check(client, staff, sample_plan):
    response = await client.get("/api/v1/items?committee=MM-IRIPT&limit=2", headers=staff)
    assert response.status_code == 200
    assert len(response.json()) == 2


async def schedule_hearing(
    client: httpx.AsyncClient, staff: dict[str, str], sample_plan: dict[str, str], **extra: Any
) -> httpx.Response:
    item_id = sample_plan["national-interests-hearings"]
    body = {"starts_at": "2026-03-10T10:00:00+04:00", "ends_at": "2026-03-10T12:00:00+04:00"}
    return await client.post(f"/api/v1/items/{item_id}/hearings", json=body | extra, headers=staff)


def nested(depth: int) -> bytes:
    return b'{"name":' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize("depth", [300, 600, 900])
async def test_a_deeply_nested_body_is_a_422_with_a_short_echo(
    client, cleared_staff, sample_plan, depth
):
    response = await client.post(
        ORGANIZATIONS,
        content=nested(depth),
        headers={**cleared_staff, "Content-Type": "application/json"},
    )

    assert response.status_code in (400, 422), response.text  # 400: too deep to parse at all
    assert len(response.content) < 10_000


async def test_many_errors_are_a_422_showing_the_first_twenty_and_a_count(
    client, staff, sample_plan
):
    response = await schedule_hearing(  # 400 people without a name
        client, staff, sample_plan, invitees=[{"name": ""}] * 400
    )

    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert len(detail) == 21
    assert detail[0]["loc"] == ["body", "invitees", 0, "name"]
    assert detail[-1] == {
        "type": "too_many_errors",
        "loc": [],
        "msg": "380 more errors not shown",
    }


async def test_a_list_over_its_limit_is_refused_at_once_with_a_short_echo(
    client, staff, sample_plan
):
    response = await schedule_hearing(  # ~900 KB, under the body limit
        client, staff, sample_plan, organizations=["PACE"] * 100_000
    )

    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["type"] == "too_long"
    assert error["loc"] == ["body", "organizations"]
    assert error["input"] == ["PACE"] * 10 + ["…"]


async def test_a_body_over_the_limit_is_a_413_whether_announced_or_streamed(
    client, cleared_staff, sample_plan, settings
):
    too_big = b'{"code":"X9","name":{"en":"' + b"a" * settings.max_request_bytes + b'"}}'
    headers = {**cleared_staff, "Content-Type": "application/json"}

    announced = await client.post(ORGANIZATIONS, content=too_big, headers=headers)

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(too_big), 65_536):
            yield too_big[start : start + 65_536]

    streamed = await client.post(ORGANIZATIONS, content=chunks(), headers=headers)

    for response in (announced, streamed):
        assert response.status_code == 413, response.text
        assert response.json() == {"detail": "the request body exceeds 1,048,576 bytes"}
    listed = await client.get(ORGANIZATIONS, headers=cleared_staff)
    assert "X9" not in {organization["code"] for organization in listed.json()}
