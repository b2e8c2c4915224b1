"""What a front end shows of work plans: sessions to choose, a summary, filtered items."""

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


async def create(client, staff, **fields) -> str:
    body = {"committee": "MM-IRIPT", "session": "2026-spring", "category": "review", **fields}
    created = await client.post("/api/v1/items", headers=staff, json=body)
    assert created.status_code == 201, created.text
    item_id: str = created.json()["id"]
    return item_id


async def test_items_are_found_by_folded_text_and_by_owner(client, staff, sample_plan):
    khojaly = await create(
        client, staff, title={"az": "Xocalı soyqırımının ildönümü"}, owners=["Leyla Həsənova"]
    )
    other = await create(client, staff, title={"en": "100% attendance_rule"}, owners=["Aysel"])
    found = await client.get(
        "/api/v1/items", headers=staff, params={"session": "2026-spring", "q": "XOCALI"}
    )
    ids = [item["id"] for item in found.json()]
    assert khojaly in ids, "xocali finds Xocalı whatever the case"
    assert other not in ids
    by_owner = await client.get("/api/v1/items", headers=staff, params={"owner": "Aysel"})
    assert [item["id"] for item in by_owner.json()] == [other]
    literal = await client.get("/api/v1/items", headers=staff, params={"q": "100%"})
    assert [item["id"] for item in literal.json()] == [other], "% is a character, not a wildcard"
    nothing = await client.get("/api/v1/items", headers=staff, params={"q": "_ttendance"})
    assert nothing.json() == [], "_ is a character, not a wildcard"
    refused = await client.get("/api/v1/items", headers=staff, params={"q": "x" * 201})
    assert refused.status_code == 422


async def test_a_work_plan_summary_counts_items_per_status_for_what_the_caller_may_see(
    client, staff, cleared_staff, sample_plan
):
    await create(client, cleared_staff, title={"en": "Closed"}, classification="restricted",
                 owners=["Secret owner"])  # fmt: skip
    path = "/api/v1/work-plans/MM-IRIPT/2026-spring/summary"
    uncleared = (await client.get(path, headers=staff)).json()
    cleared = (await client.get(path, headers=cleared_staff)).json()
    assert uncleared["total"] == len(sample_plan)
    assert cleared["total"] == len(sample_plan) + 1
    assert sum(uncleared["statuses"].values()) == uncleared["total"]
    assert "Secret owner" in cleared["owners"]
    assert "Secret owner" not in uncleared["owners"]
    assert "PACE" in uncleared["organizations"]
    missing = await client.get("/api/v1/work-plans/MM-IRIPT/2099-autumn/summary", headers=staff)
    assert missing.status_code == 404


async def test_a_filtered_summary_counts_the_items_that_match(client, staff, sample_plan):
    await create(client, staff, title={"az": "Xocalı soyqırımı ilə bağlı dinləmə"})
    path = "/api/v1/work-plans/MM-IRIPT/2026-spring/summary"
    matching = (await client.get(path, headers=staff, params={"q": "xocali"})).json()
    listed = (await client.get("/api/v1/items", headers=staff, params={"q": "xocali"})).json()
    assert matching["total"] == len(listed) >= 2
    planned = (await client.get(path, headers=staff, params={"status": "planned"})).json()
    assert set(planned["statuses"]) == {"planned"}
