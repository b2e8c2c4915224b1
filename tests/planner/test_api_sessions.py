"""The sessions a front end offers to choose from, with the zone their times are given in."""

from __future__ import annotations


async def test_sessions_list_each_committees_session_with_its_zone(client, staff, sample_plan):
    response = await client.get("/api/v1/sessions", headers=staff)
    assert response.status_code == 200, response.text
    [session] = response.json()
    assert session["committee"] == "MM-IRIPT"
    assert session["code"] == "2026-spring"
    assert session["timezone"] == "Asia/Baku"
    assert (session["starts_on"], session["ends_on"]) == ("2026-02-01", "2026-05-31")
    assert session["committee_name"]["en"].startswith("Committee on International Relations")


async def test_sessions_need_a_token(client, sample_plan):
    assert (await client.get("/api/v1/sessions")).status_code == 401
