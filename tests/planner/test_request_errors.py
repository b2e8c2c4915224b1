"""Input that breaks naive error handling gets a precise 422 in every service's API.

The rules live in ``shared/runtime/http_errors.py``, installed on every service's app;
they are shown here through the planner.
"""

from __future__ import annotations

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
