"""The work-plan forms without JavaScript (plain POST → redirect): the planner's rules come
back as errors next to their fields; times are the session's (Asia/Baku), never UTC."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.console.conftest import sign_in
from tests.console.pages import field_error, post_form, text_of

PLAN = "MM-IRIPT/2026-spring"
NEW_ITEM = {
    "plan": PLAN,
    "title_az": "Xocalı soyqırımı ilə bağlı dinləmə",
    "title_en": "Hearing on the Khojaly genocide",
    "category": "hearing",
    "organizations": ["PACE", "OSCE-PA"],
    "owners": "Committee chair\nSecretariat",
    "period_start-day": "1",
    "period_start-month": "3",
    "period_start-year": "2026",
    "period_end-day": "31",
    "period_end-month": "3",
    "period_end-year": "2026",
    "classification": "public",
    "tags": "khojaly, hearing",
}


def hearing_at(day: str, start: str, end: str, **more: str) -> dict:
    d, m, y = day.split(".")
    return {"date-day": d, "date-month": m, "date-year": y, "start_time": start,
            "end_time": end, "location": "Hall 2", "format": "open", **more}  # fmt: skip


@pytest.fixture
async def clerk(browser_client):
    await sign_in(browser_client, "clerk")
    return browser_client


async def create_item(client: httpx.AsyncClient, **changes) -> str:
    created = await post_form(client, f"/items/new?plan={PLAN}", {**NEW_ITEM, **changes})
    assert created.status_code == 303, text_of(created)[:3000]
    location = created.headers["location"]
    assert location.endswith("?done=created")
    return location.split("/")[2].split("?")[0]


async def test_a_clerk_creates_an_item_schedules_and_reschedules_its_hearing(clerk):
    item_id = await create_item(clerk)
    page = await clerk.get(f"/items/{item_id}?done=created")
    shown = text_of(page)
    assert "The item was added to the work plan" in shown
    assert "Hearing on the Khojaly genocide" in shown
    assert "Xocalı soyqırımı ilə bağlı dinləmə" in shown, "the text in every language"
    assert "Parliamentary Assembly of the Council of Europe (PACE)" in shown

    scheduled = await post_form(
        clerk, f"/items/{item_id}/hearings/new", hearing_at("12.3.2026", "11:00", "13:00")
    )
    assert scheduled.status_code == 303, text_of(scheduled)[:3000]
    page = await clerk.get(scheduled.headers["location"])
    shown = text_of(page)
    assert "The hearing was scheduled" in shown
    assert "Mar 12, 2026, 11:00 AM – 1:00 PM" in shown, "Baku time, as entered"

    hearing_id = page.text.split('id="hearing-')[1].split('"')[0]
    form = await clerk.get(f"/hearings/{hearing_id}/reschedule")
    assert 'value="11:00"' in form.text, "the form starts from the hearing's Baku time"
    assert 'name="date-day" type="text" inputmode="numeric" value="12"' in form.text
    moved = await post_form(
        clerk, f"/hearings/{hearing_id}/reschedule",
        hearing_at("19.3.2026", "15:30", "17:00", reason="Rapporteur abroad"),
    )  # fmt: skip
    assert moved.status_code == 303, text_of(moved)[:3000]
    page = await clerk.get(moved.headers["location"])
    shown = text_of(page)
    assert "The hearing was rescheduled" in shown
    assert "Mar 19, 2026, 3:30 PM – 5:00 PM" in shown
    assert "Was: Mar 12, 2026, 11:00 AM" in shown


async def test_bad_input_is_shown_next_to_each_field_and_nothing_is_created(clerk):
    refused = await post_form(
        clerk,
        f"/items/new?plan={PLAN}",
        {**NEW_ITEM, "title_az": "", "title_en": "", "category": "",
         "period_start-day": "31", "period_start-month": "2", "ref": "Bad Ref!"},
    )  # fmt: skip
    assert refused.status_code == 400
    assert field_error(refused, "title_az") == "Error: Enter the title in at least one language"
    assert field_error(refused, "category") == "Error: Choose a category"
    assert field_error(refused, "period_start") == "Error: The start date must be a real date"
    assert 'href="#period_start-day"' in refused.text, "the summary links to the field"
    assert "Committee chair" in refused.text, "what was typed is kept"
    assert "Traceback" not in refused.text
    assert '"detail"' not in refused.text


async def test_the_planners_rules_come_back_next_to_their_fields(clerk):
    item_id = await create_item(clerk)
    outside = await post_form(
        clerk, f"/items/{item_id}/hearings/new", hearing_at("12.7.2026", "11:00", "13:00")
    )
    assert outside.status_code == 400
    assert (
        field_error(outside, "date")
        == "Error: The hearing must take place within the session’s dates"
    )

    backwards = await post_form(
        clerk, f"/items/{item_id}/hearings/new", hearing_at("12.3.2026", "13:00", "11:00")
    )
    assert field_error(backwards, "end_time") == "Error: The end time must be after the start time"

    duplicate = await post_form(clerk, f"/items/new?plan={PLAN}", {**NEW_ITEM, "ref": "dup-ref"})
    assert duplicate.status_code == 303
    again = await post_form(clerk, f"/items/new?plan={PLAN}", {**NEW_ITEM, "ref": "dup-ref"})
    assert field_error(again, "ref") == "Error: Another item of this work plan has this reference"

    cancelled = await post_form(clerk, f"/items/{item_id}/status", {"status": "cancelled"})
    assert cancelled.status_code == 303
    status = await post_form(clerk, f"/items/{item_id}/status", {"status": "planned"})
    assert status.status_code == 400
    assert "not allowed" in field_error(status, "status")


async def test_an_overlap_names_the_other_hearing_and_links_to_it(clerk):
    first_item = await create_item(clerk, title_en="Hearing on the OSCE PA agenda")
    second_item = await create_item(clerk, title_en="Hearing on TURKPA")
    first = await post_form(
        clerk, f"/items/{first_item}/hearings/new", hearing_at("2.4.2026", "10:00", "12:00")
    )
    assert first.status_code == 303
    page = await clerk.get(first.headers["location"])
    other_id = page.text.split('id="hearing-')[1].split('"')[0]

    clash = await post_form(
        clerk, f"/items/{second_item}/hearings/new", hearing_at("2.4.2026", "11:00", "12:30")
    )
    assert clash.status_code == 400
    assert (
        field_error(clash, "date") == "Error: This time overlaps another hearing of the committee"
    )
    assert f'href="/hearings/{other_id}"' in clash.text
    assert "The other hearing: “Hearing on the OSCE PA agenda”, Apr 2, 2026, 10:00 AM" in text_of(
        clash
    )
    assert 'value="11:00"' in clash.text, "what was typed is kept"

    followed = await clerk.get(f"/hearings/{other_id}")
    assert followed.headers["location"] == f"/items/{first_item}#hearing-{other_id}"

    kept = await post_form(
        clerk, f"/items/{second_item}/hearings/new",
        hearing_at("2.4.2026", "11:00", "12:30", allow_overlap="yes"),
    )  # fmt: skip
    assert kept.status_code == 303


async def test_cancel_mark_held_and_record_a_meeting(clerk):
    item_id = await create_item(clerk)
    scheduled = await post_form(
        clerk, f"/items/{item_id}/hearings/new", hearing_at("5.3.2026", "09:00", "10:00")
    )
    page = await clerk.get(scheduled.headers["location"])
    hearing_id = page.text.split('id="hearing-')[1].split('"')[0]
    no_reason = await post_form(clerk, f"/hearings/{hearing_id}/cancel", {"reason": ""})
    assert field_error(no_reason, "reason") == "Error: Say why the hearing is cancelled"
    cancelled = await post_form(clerk, f"/hearings/{hearing_id}/cancel", {"reason": "No quorum"})
    page = await clerk.get(cancelled.headers["location"])
    assert "The hearing was cancelled" in text_of(page)
    assert "Reason: No quorum" in text_of(page)
    held = await post_form(clerk, f"/hearings/{hearing_id}/held", {"summary_en": "Heard"})
    assert held.status_code == 400, "a cancelled hearing cannot be held"
    assert "not possible in the current status" in text_of(held)

    future = await post_form(
        clerk, f"/items/{item_id}/meetings/new",
        {"organizations": ["PACE"], "date-day": "3", "date-month": "3", "date-year": "2099",
         "time": "10:00", "classification": "internal"},
    )  # fmt: skip
    assert future.status_code == 400
    assert field_error(future, "date") == "Error: It cannot be recorded as held in the future"

    meeting = await post_form(
        clerk, f"/items/{item_id}/meetings/new",
        {"organizations": ["PACE"], "date-day": "3", "date-month": "3", "date-year": "2026",
         "time": "10:00", "title_en": "Talks with the PACE rapporteur", "classification": "internal"},
    )  # fmt: skip
    assert meeting.status_code == 303, text_of(meeting)[:3000]
    page = await clerk.get(meeting.headers["location"])
    assert "Talks with the PACE rapporteur" in text_of(page)


async def test_a_user_without_clearance_never_sees_a_restricted_item(browser_client, stack):
    await sign_in(browser_client, "cleared")
    item_id = await create_item(
        browser_client, title_en="Closed briefing on the negotiations", classification="restricted"
    )
    assert "Closed briefing on the negotiations" in text_of(
        await browser_client.get(f"/?plan={PLAN}")
    )

    async with httpx.AsyncClient(
        base_url=stack.console_url, headers={"Accept-Language": "en"}
    ) as other:
        await sign_in(other, "clerk")
        plan = await other.get(f"/?plan={PLAN}")
        assert "Closed briefing on the negotiations" not in plan.text
        hidden = await other.get(f"/items/{item_id}")
        assert hidden.status_code == 404
        assert "Closed briefing" not in hidden.text


async def test_the_work_plan_filters_and_counts(clerk):
    everything = text_of(await clerk.get(f"/?plan={PLAN}"))
    total = re.search(r"(\d+) items; 0% completed\.", everything)
    assert total, everything[:2000]
    planned = re.search(r"Planned \((\d+)\)", everything)
    started = re.search(r"In progress \((\d+)\)", everything)
    assert planned, everything[:2000]
    assert started, "the sample's hearings and meetings moved some items in progress"
    assert int(planned[1]) + int(started[1]) == int(total[1]), "every item is in one group"
    folded = text_of(await clerk.get(f"/?plan={PLAN}&q=XOCALI"))
    assert "item matches the filters" in folded or "items match the filters" in folded
    assert "Xocalı" in folded or "Khojaly" in folded
    assert f"Planned ({planned[1]})" not in folded
    nobody = text_of(await clerk.get(f"/?plan={PLAN}&owner=Nobody+at+all"))
    assert "0 items match the filters" in nobody
    assert "No items match." in nobody
    by_status = text_of(await clerk.get(f"/?plan={PLAN}&status=completed"))
    assert "No items match." in by_status
    bad = await clerk.get(f"/?plan={PLAN}&status=unknown&category=nonsense")
    assert bad.status_code == 200, "an unknown filter value is ignored, not an error"
