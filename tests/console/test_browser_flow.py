# ruff: noqa: F811 - the browser fixture, imported from test_browser, is a parameter here
"""The issue's flow in a real Chromium, by keyboard, with axe on every page of part 2.

A colleague subscribes to the committee's hearings (inbox and e-mail); a clerk reschedules
a hearing; the colleague sees the notice in the console inbox (the header's count shows
it) and the change in the calendar; the link in the e-mail opens the hearing's page after
sign-in; an analyst finds the hearing in search. Screenshots land in build/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page

from shared.auth.tokens import mint_token
from tests.console.browser import assert_accessible, screenshot, tab_to, type_into
from tests.console.conftest import sign_in
from tests.console.pages import csrf
from tests.console.test_browser import (  # noqa: F401 - the browser fixture
    browser,
    keyboard_sign_in,
    press_link,
    visible,
)

PLAN = "MM-IRIPT/2026-spring"


@pytest.fixture
async def contexts(browser: Browser, stack) -> AsyncIterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        await context.close()


async def person(
    browser: Browser, stack, contexts: list, username: str, lang: str = "en-GB"
) -> Page:
    context = await browser.new_context(
        base_url=stack.console_url, viewport={"width": 1200, "height": 900}, locale=lang
    )
    contexts.append(context)
    page = await context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.problems = problems  # type: ignore[attr-defined]
    await page.goto("/sign-in")
    await keyboard_sign_in(page, username)
    return page


async def a_march_hearing(stack) -> dict:
    token = mint_token(stack.settings, subject="test", scopes=["planner:read"])
    async with httpx.AsyncClient(base_url=stack.planner_url) as planner:
        found = await planner.get(
            "/api/v1/hearings",
            params={"committee": "MM-IRIPT", "status": "scheduled"},
            headers={"Authorization": f"Bearer {token}"},
        )
    hearings = [h for h in found.json() if h["starts_at"].startswith("2026-03")]
    assert hearings, "the sample plan schedules hearings in March"
    return hearings[0]


async def until(page: Page, text: str, selector: str = "main", tries: int = 100) -> None:
    for _ in range(tries):
        if text in await visible(page, selector):
            return
        await page.wait_for_timeout(150)
        await page.reload()
    raise AssertionError(f"{page.url} never showed {text!r}: {await visible(page, selector)}")


async def test_a_rescheduled_hearing_reaches_a_colleague_the_calendar_mail_and_search(
    browser: Browser,
    stack,
    contexts,
    smtp_server,
):
    hearing = await a_march_hearing(stack)

    # a colleague subscribes, by keyboard, to the committee's hearings in the inbox
    colleague = await person(browser, stack, contexts, "colleague")
    await colleague.goto("/my/notifications")
    await assert_accessible(colleague)
    await tab_to(colleague, "#committee")
    await colleague.keyboard.type("MM-IRIPT")
    await tab_to(colleague, "form[action='/my/subscriptions'] button[type=submit]")
    async with colleague.expect_navigation():
        await colleague.keyboard.press("Enter")
    assert "You are subscribed" in await visible(colleague)
    await assert_accessible(colleague)
    await screenshot(colleague, "my-notifications-en")
    # … and by e-mail (a plain POST, as the form sends it without JavaScript)
    token = await colleague.evaluate("document.querySelector('input[name=csrf_token]').value")
    mailed = await colleague.request.post("/my/subscriptions", form={
        "csrf_token": token, "event_type": "workplan.hearing.*", "channel": "email",
        "mode": "immediate", "committee": "MM-IRIPT"}, max_redirects=0)  # fmt: skip
    assert mailed.status == 303

    # the clerk reschedules the hearing by keyboard
    clerk = await person(browser, stack, contexts, "clerk")
    await clerk.goto(f"/calendar?plan={PLAN}&month=2026-03")
    await assert_accessible(clerk)
    await screenshot(clerk, "calendar-en")
    await clerk.goto(f"/hearings/{hearing['id']}/reschedule")
    await type_into(clerk, "#date-day", "27")
    await type_into(clerk, "#start_time", "16:00")
    await type_into(clerk, "#end_time", "17:30")
    await type_into(clerk, "#reason", "The delegation returns later")
    await clerk.keyboard.press("Enter")
    await clerk.wait_for_url("**done=rescheduled**")

    # the colleague's header counts the notice; the inbox shows it and links to its page
    await colleague.goto("/calendar")
    await until(colleague, "unread", "#unread-count")
    await press_link(colleague, "a[href='/inbox']")
    assert "rescheduled" in (await visible(colleague)).lower()
    await assert_accessible(colleague)
    await screenshot(colleague, "inbox-en")
    link = colleague.locator(f"a[href^='/hearings/{hearing['id']}']").first
    assert await link.count() == 1
    await press_link(colleague, "form[action$='/read'] button")
    assert "marked as read" in await visible(colleague)
    await press_link(colleague, f"a[href^='/hearings/{hearing['id']}']")
    assert colleague.url.split("#")[0].endswith(f"/items/{hearing['item_id']}")
    assert "Mar 27, 2026, 4:00 PM" in await visible(colleague)

    # … and the calendar shows the hearing on its new day, in the agenda too
    await colleague.goto(f"/calendar?plan={PLAN}&month=2026-03&view=agenda")
    agenda = await visible(colleague)
    assert re.search(r"Friday, March 27, 2026.*?4:00\s?PM", agenda, re.S), agenda
    await assert_accessible(colleague)

    # the link in the e-mail opens the hearing's page after sign-in
    mail = None
    for _ in range(100):
        mail = next((m for m in smtp_server.messages if "colleague@example.gov.az" in m.rcpt_tos
                     and "resched" in str(m.message["Subject"]).lower()), None)  # fmt: skip
        if mail:
            break
        await colleague.wait_for_timeout(100)
    assert mail is not None, "the colleague was sent an e-mail"
    body = mail.message.get_body(preferencelist=("plain",)).get_content()
    [address] = set(re.findall(re.escape(stack.console_url) + r"/hearings/[0-9a-f-]{36}", body))
    reader = await person(browser, stack, contexts, "analyst")
    await reader.context.clear_cookies()
    await reader.goto(address)
    assert "/sign-in" in reader.url
    await keyboard_sign_in(reader, "colleague")
    assert reader.url.split("#")[0].endswith(f"/items/{hearing['item_id']}")

    # an analyst finds the hearing in search, as they type
    analyst = await person(browser, stack, contexts, "analyst")
    await analyst.goto("/search")
    await assert_accessible(analyst)
    title = hearing["title"].get("en") or next(iter(hearing["title"].values()), "")
    words = " ".join(title.split()[:2]) if title else "hearing"
    await type_into(analyst, "#q", words)
    await analyst.wait_for_selector("#results .console-result")
    await analyst.keyboard.press("Enter")
    await analyst.wait_for_url("**q=**")
    assert await analyst.locator(f"a[href='/hearings/{hearing['id']}']").count() >= 1
    assert await analyst.locator("mark").count() >= 1
    await assert_accessible(analyst)
    await screenshot(analyst, "search-en")
    for context_page in (colleague, clerk, reader, analyst):
        assert not context_page.problems, context_page.problems  # type: ignore[attr-defined]


async def test_every_page_of_part_2_passes_axe_in_both_languages(
    browser: Browser,
    stack,
    contexts,
):
    admin = await person(browser, stack, contexts, "admin")
    pages = [
        ("calendar", f"/calendar?plan={PLAN}&month=2026-03"),
        ("agenda", f"/calendar?plan={PLAN}&month=2026-03&view=agenda"),
        ("inbox", "/inbox"),
        ("my-notifications", "/my/notifications"),
        ("admin", "/admin"),
        ("admin-recipients", "/admin/recipients"),
        ("admin-webhooks", "/admin/webhooks"),
        ("admin-deliveries", "/admin/deliveries"),
        ("admin-dead-letters", "/admin/dead-letters"),
    ]
    for _name, path in pages:
        await admin.goto(path)
        await assert_accessible(admin)
    recipient = (
        await admin.get_attribute("a[href^='/admin/recipients/']", "href") if False else None
    )
    await admin.goto("/admin/recipients")
    recipient = await admin.get_attribute("a[href^='/admin/recipients/']", "href")
    await admin.goto(recipient or "/admin/recipients")
    await assert_accessible(admin)
    await screenshot(admin, "admin-recipient-en")
    await admin.goto("/admin/deliveries")
    await screenshot(admin, "admin-deliveries-en")

    cleared = await person(browser, stack, contexts, "cleared")
    await cleared.goto(f"/report?plan={PLAN}")
    await assert_accessible(cleared)
    await screenshot(cleared, "report-en")
    await cleared.goto("/search?q=xocali")
    await assert_accessible(cleared)

    # the same pages in Azerbaijani, chosen with the header's switch
    await press_link(admin, "button[value=az]")
    assert await admin.get_attribute("html", "lang") == "az"
    for name, path in pages:
        await admin.goto(path)
        await assert_accessible(admin)
        if name in ("calendar", "inbox", "my-notifications", "admin-deliveries"):
            await screenshot(admin, f"{name}-az")
    await admin.goto(f"/calendar?plan={PLAN}&month=2026-03")
    assert "mart 2026" in (await visible(admin)).lower()
    await press_link(cleared, "button[value=az]")
    await cleared.goto(f"/report?plan={PLAN}")
    await screenshot(cleared, "report-az")
    await cleared.goto("/search?q=xocali")
    await screenshot(cleared, "search-az")
    await assert_accessible(cleared)


async def test_nothing_restricted_reaches_an_uncleared_reader_on_part_2_pages(stack):
    async with httpx.AsyncClient(
        base_url=stack.console_url, headers={"Accept-Language": "en"}
    ) as cleared:
        await sign_in(cleared, "cleared")
        form = await cleared.get(f"/items/new?plan={PLAN}")
        created = await cleared.post(f"/items/new?plan={PLAN}", data={
            "csrf_token": csrf(form), "plan": PLAN, "title_en": "RSTRZULU closed briefing",
            "category": "review", "classification": "restricted"})  # fmt: skip
        assert created.status_code == 303
        item_path = created.headers["location"].split("?")[0]
        hearing_form = await cleared.get(f"{item_path}/hearings/new")
        scheduled = await cleared.post(f"{item_path}/hearings/new", data={
            "csrf_token": csrf(hearing_form), "date-day": "25", "date-month": "3",
            "date-year": "2026", "start_time": "09:00", "end_time": "10:00",
            "title_en": "RSTRZULU hearing", "format": "closed"})  # fmt: skip
        assert scheduled.status_code == 303
        for _ in range(100):  # until the archive has it
            found = await cleared.get("/search", params={"q": "rstrzulu"})
            if "RSTRZULU" in found.text:
                break
        assert "RSTRZULU" in (await cleared.get(f"/calendar?plan={PLAN}&month=2026-03")).text
    async with httpx.AsyncClient(
        base_url=stack.console_url, headers={"Accept-Language": "en"}
    ) as clerk:
        await sign_in(clerk, "clerk")
        for path in (f"/calendar?plan={PLAN}&month=2026-03",
                     f"/calendar?plan={PLAN}&month=2026-03&view=agenda",
                     "/search?q=rstrzulu", "/search/results?q=rstrz", "/search.csv?q=rstrzulu",
                     f"/report?plan={PLAN}", f"/report.csv?plan={PLAN}", "/my/notifications"):  # fmt: skip
            shown = await clerk.get(path)
            assert "RSTRZULU" not in shown.text, path


async def test_administrators_read_the_caught_mail(browser: Browser, stack, contexts, tmp_path):
    from email.message import EmailMessage  # noqa: PLC0415

    from services.console.main import create_app  # noqa: PLC0415
    from shared.runtime.mail_folder import MailFolder  # noqa: PLC0415
    from tests.console.servers import serving  # noqa: PLC0415

    message = EmailMessage()
    message["From"], message["To"] = "Workplan <workplan@localhost>", "desk@example.gov.az"
    message["Subject"] = "Dinləmənin vaxtı dəyişdirildi <b>now</b>"
    message.set_content("Hearing moved to 27 March.\n<script>alert(1)</script>")
    MailFolder(tmp_path).save(bytes(message))
    settings = stack.settings.model_copy(update={"mail_catcher_dir": tmp_path})
    async with serving(create_app(settings)) as url:
        context = await browser.new_context(base_url=url, locale="en-GB")
        contexts.append(context)
        page = await context.new_page()
        await page.goto("/sign-in")
        await keyboard_sign_in(page, "admin")
        await page.goto("/admin")
        await press_link(page, "a[href='/admin/mail']")
        assert "1 message." in await visible(page)
        await assert_accessible(page)
        await press_link(page, "a[href^='/admin/mail/']")
        shown = await visible(page)
        assert "Dinləmənin vaxtı dəyişdirildi <b>now</b>" in shown, "shown as text"
        assert "<script>alert(1)</script>" in shown, "shown as text, never run"
        await assert_accessible(page)
        missing = await page.goto("/admin/mail/..%2Fsecrets")
        assert missing is not None
        assert missing.status == 404
