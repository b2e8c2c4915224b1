"""Part 2 pages as a browser without JavaScript uses them: calendar, inbox, search, report,
my notifications and administration; each in the reader's language, with CSRF on forms,
and nothing restricted shown to an uncleared reader."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator

import httpx
import icalendar

from tests.console.conftest import sign_in
from tests.console.pages import csrf, post_form, text_of

PLAN = "MM-IRIPT/2026-spring"


async def post_from(
    client: httpx.AsyncClient, page: str, action: str, data: dict
) -> httpx.Response:
    """Open ``page`` (for its CSRF token) and send one of its forms, to ``action``."""
    shown = await client.get(page)
    assert shown.status_code == 200, text_of(shown)[:1000]
    return await client.post(action, data={"csrf_token": csrf(shown), **data})


@contextlib.asynccontextmanager
async def signed_in(stack, username: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=stack.console_url, headers={"Accept-Language": "en"}
    ) as client:
        answer = await sign_in(client, username)
        assert answer.status_code == 303, text_of(answer)[:500]
        yield client


async def test_every_page_of_part_2_answers_for_the_roles_it_needs(stack):
    pages = {
        "clerk": ["/calendar", f"/calendar?plan={PLAN}&view=agenda&month=2026-03", "/search",
                  "/search?q=xocali", f"/report?plan={PLAN}", "/my/notifications"],
        "admin": ["/admin", "/admin/recipients", "/admin/webhooks", "/admin/deliveries",
                  "/admin/dead-letters", "/inbox", "/my/notifications"],
    }  # fmt: skip
    for username, paths in pages.items():
        async with signed_in(stack, username) as client:
            for path in paths:
                page = await client.get(path)
                assert page.status_code == 200, f"{path}: {text_of(page)[:800]}"
                assert "Traceback" not in page.text
    async with signed_in(stack, "analyst") as analyst:
        refused = await analyst.get("/calendar")
        assert refused.status_code == 403
        assert "does not have the role" in text_of(refused)
        assert (await analyst.get("/admin")).status_code == 403
        menu = text_of(await analyst.get("/search"))
        assert "Search" in menu
        assert "Administration" not in menu


async def test_the_calendar_shows_the_month_strikes_cancelled_hearings_and_offers_ics(stack):
    async with signed_in(stack, "clerk") as client:
        page = await client.get(f"/calendar?plan={PLAN}&month=2026-03")
        assert page.status_code == 200
        shown = text_of(page)
        assert "March 2026" in shown
        hearing_ids = re.findall(r'href="/hearings/([0-9a-f-]{36})/calendar.ics"', page.text)
        assert hearing_ids, "the sample plan's March hearings are in the month"
        agenda = await client.get(f"/calendar?plan={PLAN}&month=2026-03&view=agenda")
        assert set(re.findall(r"/hearings/([0-9a-f-]{36})/calendar.ics", agenda.text)) == set(
            hearing_ids
        )
        one = await client.get(f"/hearings/{hearing_ids[0]}/calendar.ics")
        assert one.status_code == 200
        assert one.headers["content-type"].startswith("text/calendar")
        [event] = icalendar.Calendar.from_ical(one.content).walk("VEVENT")
        assert str(event["UID"]) == f"hearing-{hearing_ids[0]}@workplan.archive"

        cancelled = await post_form(
            client, f"/hearings/{hearing_ids[0]}/cancel", {"reason": "No quorum"}
        )
        assert cancelled.status_code == 303
        page = await client.get(f"/calendar?plan={PLAN}&month=2026-03")
        struck = re.search(
            rf'<del class="console-struck"><a class="govuk-link" href="/hearings/{hearing_ids[0]}">'
            r".*?</del>\s*<strong[^>]*>\s*Cancelled",
            page.text,
            re.S,
        )
        assert struck, "a cancelled hearing is struck through and says it is cancelled"


async def test_a_calendar_address_is_shown_once_listed_with_its_last_use_and_revoked(stack):
    async with signed_in(stack, "clerk") as client:
        made = await post_from(
            client,
            "/calendar",
            "/my/feeds",
            {"feed_name": "Committee", "feed_committee": "mm-iript"},
        )
        assert made.status_code == 200
        address = re.search(r'id="issued-url" type="text" readonly value="([^"]+)"', made.text)
        assert address, text_of(made)[:1000]
        token = address[1].rsplit("/", 1)[1]
        async with httpx.AsyncClient() as calendar_program:
            feed = await calendar_program.get(stack.archive_url + f"/feeds/{token}")
        assert feed.status_code == 200
        assert b"BEGIN:VCALENDAR" in feed.content
        listed = await client.get("/my/notifications")
        assert token not in listed.text, "the secret address is never shown again"
        assert "Committee" in text_of(listed)
        feeds_part = listed.text.split('id="feeds"')[1]
        assert ">Never<" not in feeds_part, "its last use is shown"
        revoke = re.search(r'action="/my/feeds/([0-9a-f-]{36})/revoke"', listed.text)
        assert revoke, "the feed can be revoked"
        feed_id = revoke[1]
        revoked = await client.post(
            f"/my/feeds/{feed_id}/revoke", data={"csrf_token": csrf(listed)}
        )
        assert revoked.status_code == 303
        async with httpx.AsyncClient() as calendar_program:
            gone = await calendar_program.get(stack.archive_url + f"/feeds/{token}")
        assert gone.status_code == 404
        without_csrf = await client.post("/my/feeds", data={"feed_name": "x"})
        assert without_csrf.status_code == 403


async def test_my_notifications_subscribe_mute_remove_and_preferences(stack):
    async with signed_in(stack, "colleague") as client:
        page = await client.get("/my/notifications")
        token = csrf(page)
        made = await client.post(
            "/my/subscriptions",
            data={"csrf_token": token, "event_type": "workplan.hearing.*", "channel": "inbox",
                  "mode": "immediate", "committee": "MM-IRIPT"},
        )  # fmt: skip
        assert made.status_code == 303
        page = await client.get(made.headers["location"])
        assert "You are subscribed" in text_of(page)
        assert "Hearings · MM-IRIPT" in text_of(page)
        digest_inbox = await client.post(
            "/my/subscriptions",
            data={"csrf_token": token, "event_type": "*", "channel": "inbox", "mode": "digest"},
        )
        assert digest_inbox.status_code == 400
        assert "A daily digest is sent by e-mail only" in text_of(digest_inbox)
        mute = re.search(r'action="/my/subscriptions/([0-9a-f-]{36})/mute"', page.text)
        assert mute, "the subscription can be muted"
        subscription = mute[1]
        muted = await client.post(
            f"/my/subscriptions/{subscription}/mute", data={"csrf_token": token}
        )
        assert "The subscription is muted" in text_of(await client.get(muted.headers["location"]))
        bad_zone = await client.post(
            "/my/preferences", data={"csrf_token": token, "language": "ru", "timezone": "Mars/Base"}
        )
        assert bad_zone.status_code == 400
        assert "time zone database knows" in text_of(bad_zone)
        saved = await client.post(
            "/my/preferences",
            data={"csrf_token": token, "language": "ru", "timezone": "Europe/Moscow"},
        )
        assert saved.status_code == 303
        removed = await client.post(
            f"/my/subscriptions/{subscription}/remove", data={"csrf_token": token}
        )
        after = text_of(await client.get(removed.headers["location"]))
        assert "You are not subscribed to anything yet" in after


async def test_search_highlights_safely_and_exports_csv(stack):
    async with signed_in(stack, "analyst") as client:
        page = await client.get("/search", params={"q": "xocali"})
        assert page.status_code == 200
        assert "<mark>" in page.text
        assert "Khojaly" in text_of(page) or "Xocalı" in text_of(page)
        live = await client.get("/search/results", params={"q": "xocal"})
        assert live.status_code == 200
        exported = await client.get("/search.csv", params={"q": "xocali"})
        assert exported.status_code == 200
        assert exported.headers["content-type"].startswith("text/csv")
        assert exported.text.splitlines()[0].startswith("kind,id")
        bad = await client.get("/search", params={"q": "xocali", "from": "31.03.2026"})
        assert bad.status_code == 400
        assert "year-month-day" in text_of(bad)


def test_a_snippet_can_carry_no_markup_but_the_marks():
    from services.console.entrypoints.web.pages.search import highlighted  # noqa: PLC0415

    shown = str(highlighted("<mark>Xocalı</mark> &lt;script&gt;alert(1)&lt;/script&gt; <b>x</b>"))
    assert shown == "<mark>Xocalı</mark> &lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;x&lt;/b&gt;"
    assert str(highlighted("<mark>open")) == "<mark>open</mark>"


async def test_the_report_prints_and_downloads_as_csv(stack):
    async with signed_in(stack, "clerk") as client:
        page = await client.get(f"/report?plan={PLAN}")
        assert page.status_code == 200
        assert 'href="/static/print.css" media="print"' in page.text
        assert "Progress" in text_of(page)
        exported = await client.get(f"/report.csv?plan={PLAN}")
        assert exported.status_code == 200
        assert exported.headers["content-type"].startswith("text/csv")
        assert "item_status" in exported.text.splitlines()[0]


async def test_administration_recipients_deliveries_and_dead_letters(stack):
    async with signed_in(stack, "admin") as client:
        added = await post_form(
            client, "/admin/recipients",
            {"name": "Ministry desk", "email": "desk@example.gov.az", "language": "en",
             "timezone": "Asia/Baku"},
        )  # fmt: skip
        assert added.status_code == 303
        listed = await client.get("/admin/recipients")
        assert "desk@example.gov.az" in text_of(listed)
        again = await client.post(
            "/admin/recipients",
            data={"csrf_token": csrf(listed), "name": "Again", "email": "desk@example.gov.az",
                  "language": "en", "timezone": "Asia/Baku"},
        )  # fmt: skip
        assert again.status_code == 400
        assert "Another recipient has this e-mail address" in text_of(again)
        row = re.search(
            r'desk@example.gov.az</td>.*?href="/admin/recipients/([0-9a-f-]{36})"',
            listed.text,
            re.S,
        )
        assert row, "the new recipient is listed"
        recipient = row[1]
        changed = await post_form(
            client, f"/admin/recipients/{recipient}",
            {"name": "Desk", "email": "desk@example.gov.az", "language": "az",
             "timezone": "Asia/Baku", "cleared": "yes"},
        )  # fmt: skip
        assert changed.status_code == 303
        edit = await client.get(f"/admin/recipients/{recipient}")
        assert re.search(r'name="active" type="checkbox" value="yes"\s*>', edit.text), (
            "left unticked: the recipient is deactivated"
        )
        letters = await client.get("/admin/dead-letters")
        assert letters.status_code == 200
        assert "No dead letters" in text_of(letters)
        await asyncio.sleep(0)
