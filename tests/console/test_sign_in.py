"""Sign-in with local accounts, sessions, CSRF and the page headers, as a browser without
JavaScript meets them."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from services.console.bootstrap import bootstrap
from services.console.handlers import accounts
from tests.console.conftest import PASSWORD, sign_in
from tests.support import bearer


async def test_a_clerk_signs_in_and_sees_the_work_plan(browser_client):
    first = await browser_client.get("/")
    assert first.status_code == 303
    assert first.headers["location"] == "/sign-in?next=%2F"

    signed_in = await sign_in(browser_client, "clerk")
    assert signed_in.status_code == 303, signed_in.text
    assert signed_in.headers["location"] == "/"
    cookie = signed_in.headers["set-cookie"]
    assert "workplan_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie

    page = await browser_client.get("/")
    assert page.status_code == 200, page.text
    assert "2026 spring session" in page.text
    assert "Justice for Khojaly" in page.text or "Khojaly" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text), "no inline script"
    assert " style=" not in page.text, "no inline style"


async def test_a_wrong_password_is_a_form_error_and_signs_nobody_in(browser_client):
    form = await browser_client.get("/sign-in")
    csrf = browser_client.cookies.get("workplan_sign_in")
    refused = await browser_client.post(
        "/sign-in", data={"username": "clerk", "password": "not it", "csrf_token": csrf}
    )
    assert form.status_code == 200
    assert refused.status_code == 400
    assert "The user name or password is not right" in refused.text
    assert 'href="#username"' in refused.text
    assert (await browser_client.get("/")).status_code == 303


async def test_a_sign_in_without_the_forms_token_is_refused(browser_client):
    refused = await browser_client.post(
        "/sign-in", data={"username": "clerk", "password": PASSWORD}
    )
    assert refused.status_code == 400
    assert (await browser_client.get("/")).status_code == 303


async def test_a_form_without_the_sessions_csrf_token_changes_nothing(browser_client):
    await sign_in(browser_client, "clerk")
    refused = await browser_client.post("/sign-out", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    assert "The form could not be sent" in refused.text
    assert (await browser_client.get("/")).status_code == 200, "still signed in"


async def test_an_expired_session_returns_to_sign_in_and_then_back_to_the_page(
    browser_client, stack
):
    await sign_in(browser_client, "clerk")
    engine = create_async_engine(stack.settings.database_url.get_secret_value())
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE console.sessions SET expires_at = now() - interval '1 minute'")
        )
    await engine.dispose()
    wanted = "/?status=planned"
    bounced = await browser_client.get(wanted)
    assert bounced.status_code == 303
    assert bounced.headers["location"] == "/sign-in?next=%2F%3Fstatus%3Dplanned&expired=true"
    notice = await browser_client.get(bounced.headers["location"])
    assert "Your session has ended" in notice.text
    back = await sign_in(browser_client, "clerk", next_path=wanted)
    assert back.headers["location"] == wanted


async def test_sign_in_never_redirects_to_another_site(browser_client):
    back = await sign_in(browser_client, "clerk", next_path="//evil.example/")
    assert back.headers["location"] == "/"


async def test_an_account_with_an_email_gets_its_notifier_recipient_at_sign_in(
    browser_client, stack, notifier_settings
):
    console = bootstrap(stack.settings)
    try:
        added = await accounts.add_account(
            console.accounts, console.passwords, "leyla", roles=["clerk", "cleared"],
            password=PASSWORD, display_name="Leyla Həsənova", email="leyla@example.gov.az",
        )  # fmt: skip
        assert added.recipient_id is None
        await sign_in(browser_client, "leyla")
        linked = await console.accounts.by_username("leyla")
    finally:
        await console.close()
    assert linked is not None
    assert linked.recipient_id is not None
    async with httpx.AsyncClient(base_url=stack.notifier_url) as notifier:
        found = await notifier.get(
            f"/api/v1/recipients/{linked.recipient_id}",
            headers=bearer(notifier_settings, "notifier:admin"),
        )
    assert found.status_code == 200, found.text
    recipient = found.json()
    assert (recipient["email"], recipient["name"]) == ("leyla@example.gov.az", "Leyla Həsənova")
    assert recipient["cleared"] is True, (
        "a cleared clerk's recipient may hear of restricted records"
    )
