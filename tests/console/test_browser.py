"""The console in a real Chromium, by keyboard alone, with axe-core on every page.

A clerk signs in, creates an item, schedules a hearing and reschedules it; bad input shows
errors next to the fields; the interface switches to Azerbaijani; a user without
clearance never sees a restricted item. Screenshots land in build/screenshots/.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import Browser, Page, async_playwright

from tests.console.browser import (
    CHROMIUM_ARGS,
    assert_accessible,
    chromium_path,
    screenshot,
    tab_to,
    type_into,
)
from tests.console.conftest import PASSWORD, sign_in
from tests.console.pages import post_form

PLAN = "MM-IRIPT/2026-spring"


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        await launched.close()


@pytest.fixture
async def page(browser: Browser, stack) -> AsyncIterator[Page]:
    context = await browser.new_context(
        base_url=stack.console_url, viewport={"width": 1200, "height": 900}, locale="en-GB"
    )
    opened = await context.new_page()
    refused: list[str] = []
    opened.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text
            or (message.type == "error" and not message.text.startswith("Failed to load resource"))
            else None
        ),
    )
    yield opened
    await context.close()
    assert not refused, f"the browser reported: {refused}"


async def keyboard_sign_in(page: Page, username: str) -> None:
    await type_into(page, "#username", username)
    await type_into(page, "#password", PASSWORD)
    async with page.expect_navigation():
        await page.keyboard.press("Enter")


async def visible(page: Page, selector: str = "main") -> str:
    """The element's text as a person reads it (narrow no-break spaces as spaces)."""
    return " ".join((await page.inner_text(selector)).replace("\u202f", " ").split(" "))


async def until_archived(page: Page, event: str) -> None:
    """Reload until the archive's timeline on the page shows ``event`` (it follows by events)."""
    for _ in range(100):
        if event in await visible(page, "#main-content"):
            return
        await page.wait_for_timeout(100)
        await page.reload()
    raise AssertionError(f"the archive's timeline never showed {event!r}")


async def press_link(page: Page, selector: str) -> None:
    """Follow a link or press a button with the keyboard: Tab to it, then Enter."""
    await tab_to(page, selector)
    async with page.expect_navigation():
        await page.keyboard.press("Enter")


async def test_a_clerk_plans_by_keyboard_and_every_page_passes_axe(page: Page, stack):
    await page.goto("/")
    assert "/sign-in" in page.url
    await assert_accessible(page)
    await screenshot(page, "sign-in-en")
    await keyboard_sign_in(page, "clerk")
    assert page.url.endswith("/")
    assert "2026 spring session" in await page.inner_text("h1")
    await assert_accessible(page)
    await screenshot(page, "work-plan-en")

    # filters: by status, by text (folded for Azerbaijani)
    await page.goto(f"/?plan={PLAN}&q=xocali")
    await assert_accessible(page)
    assert "Khojaly" in await visible(page)

    # a new item, first with a mistake, then right
    await page.goto(f"/?plan={PLAN}")
    await press_link(page, "a[href^='/items/new']")
    await assert_accessible(page)
    await type_into(page, "#title_en", "Hearing on the Khojaly genocide")
    await tab_to(page, "form button[type=submit]")
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert "There is a problem" in await page.inner_text(".govuk-error-summary")
    assert "Choose a category" in await page.inner_text("#category-error")
    await assert_accessible(page)
    await screenshot(page, "item-form-errors-en")
    await tab_to(page, "#category")
    await page.keyboard.press("ArrowDown")  # the first category after "Choose a category"
    await type_into(page, "#title_az", "Xocalı soyqırımı ilə bağlı dinləmə")
    await tab_to(page, "#organizations-2")
    await page.keyboard.press("Space")
    await tab_to(page, "form button[type=submit]")
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert "The item was added to the work plan" in await visible(page)
    item_url = page.url.split("?")[0]
    await assert_accessible(page)

    # schedule a hearing (Baku time), then reschedule it
    await press_link(page, "a[href$='/hearings/new']")
    await assert_accessible(page)
    for selector, value in [("#date-day", "12"), ("#date-month", "3"), ("#date-year", "2026"),
                            ("#start_time", "11:00"), ("#end_time", "13:00"),
                            ("#location", "Milli Majlis, Hall 2")]:  # fmt: skip
        await type_into(page, selector, value)
    await page.keyboard.press("Enter")
    await page.wait_for_url("**done=scheduled**")
    assert "Mar 12, 2026, 11:00 AM – 1:00 PM" in await visible(page)
    await press_link(page, "a[href$='/reschedule']")
    await assert_accessible(page)
    await type_into(page, "#date-day", "19")
    await type_into(page, "#start_time", "15:30")
    await type_into(page, "#end_time", "17:00")
    await type_into(page, "#reason", "The rapporteur is abroad on the 12th")
    await page.keyboard.press("Enter")
    await page.wait_for_url("**done=rescheduled**")
    main = await visible(page)
    assert "Mar 19, 2026, 3:30 PM – 5:00 PM" in main
    assert "Was: Mar 12, 2026, 11:00 AM" in main
    await until_archived(page, "Hearing rescheduled")
    await screenshot(page, "item-en")

    # the other forms of the item and its hearing pass axe too
    for path in ["/edit", "/status", "/meetings/new"]:
        await page.goto(item_url + path)
        await assert_accessible(page)
    await page.goto(item_url)
    for action in ["cancel", "held"]:
        await page.goto(await page.get_attribute(f"a[href$='/{action}']", "href") or "")
        await assert_accessible(page)
        await page.goto(item_url)

    # the interface in Azerbaijani, chosen with the header's switch
    await press_link(page, "button[value=az]")
    assert await page.get_attribute("html", "lang") == "az"
    assert "Dinləmələr" in await visible(page)
    assert "Dinləmənin vaxtı dəyişdirildi" in await visible(page), "the timeline in Azerbaijani"
    assert "19 mar 2026" in (await visible(page)).lower()
    await assert_accessible(page)
    await screenshot(page, "item-az")
    await page.goto(f"/?plan={PLAN}")
    await assert_accessible(page)
    await screenshot(page, "work-plan-az")

    await page.goto("/items/00000000-0000-0000-0000-000000000000")
    await assert_accessible(page)


async def test_a_user_without_clearance_never_sees_a_restricted_item(page: Page, stack):
    async with httpx.AsyncClient(
        base_url=stack.console_url, headers={"Accept-Language": "en"}
    ) as cleared:
        await sign_in(cleared, "cleared")
        created = await post_form(
            cleared, f"/items/new?plan={PLAN}",
            {"plan": PLAN, "title_en": "Closed briefing on the negotiations",
             "category": "review", "classification": "restricted"},
        )  # fmt: skip
        assert created.status_code == 303
        item_path = created.headers["location"].split("?")[0]

    await page.goto("/sign-in")
    await keyboard_sign_in(page, "clerk")
    assert "Closed briefing" not in await visible(page)
    await page.goto(f"/?plan={PLAN}&q=closed+briefing")
    assert "Closed briefing" not in await visible(page)
    response = await page.goto(item_path)
    assert response is not None
    assert response.status == 404
    assert "Closed briefing" not in await page.content()
    await assert_accessible(page)
