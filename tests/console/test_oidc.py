"""Sign-in through a real OpenID Connect provider (npm's certified ``oidc-provider``, run by
node), authorization code with PKCE, in the browser."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser
from pydantic import SecretStr

from services.console.bootstrap import bootstrap
from services.console.handlers import accounts
from services.console.main import create_app
from tests.console.conftest import console_settings_for
from tests.console.servers import serving
from tests.console.test_browser import browser  # noqa: F401 - fixture
from tests.console.test_service_down import closed_port

PROVIDER = Path(__file__).with_name("oidc_provider.mjs")
SECRET = "workplan-console-test-secret"


@contextlib.asynccontextmanager
async def oidc_provider(redirect_uri: str) -> AsyncIterator[str]:
    """The provider on a free port; yields its issuer URL."""
    port = closed_port()
    process = await asyncio.create_subprocess_exec(
        "node", str(PROVIDER), str(port), redirect_uri, SECRET,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=20)
        assert line.startswith(b"ready "), line
        yield line.split()[1].decode()
    finally:
        process.terminate()
        await process.wait()


@pytest.fixture
async def oidc_console(stack, database_url, run_id) -> AsyncIterator[tuple[str, str]]:
    """A console that signs people in through the provider; yields (console URL, issuer)."""
    port = closed_port()
    console_url = f"http://127.0.0.1:{port}"
    async with oidc_provider(f"{console_url}/sign-in/oidc/callback") as issuer:
        settings = console_settings_for(
            database_url, run_id, planner_url=stack.planner_url, archive_url=stack.archive_url,
            notifier_url=stack.notifier_url,
        ).model_copy(update={
            "oidc_discovery_url": f"{issuer}/.well-known/openid-configuration",
            "oidc_client_id": "workplan-console",
            "oidc_client_secret": SecretStr(SECRET),
        })  # fmt: skip
        console = bootstrap(settings)
        await accounts.add_account(
            console.accounts, console.passwords, "aysel", roles=["clerk"], password=None,
            display_name="Aysel Məmmədova", email="aysel@example.gov.az", language="en",
        )  # fmt: skip
        await console.close()
        async with serving(create_app(settings), port=port):
            yield console_url, issuer


async def provider_sign_in(page, login: str) -> None:
    """The provider's own development pages: a login form, then a consent prompt."""
    await page.fill("input[name=login]", login)
    await page.fill("input[name=password]", "anything")
    await page.click("button[type=submit]")
    await page.wait_for_load_state()
    if await page.locator("button[autofocus], button[type=submit]").count():
        await page.click("button[type=submit]")  # consent: "Continue"


async def test_a_clerk_signs_in_with_the_organisation_account(browser: Browser, oidc_console):  # noqa: F811
    console_url, issuer = oidc_console
    context = await browser.new_context(locale="en-GB")
    page = await context.new_page()
    await page.goto(f"{console_url}/items/00000000-0000-0000-0000-000000000000")
    assert "/sign-in" in page.url
    async with page.expect_request(lambda request: "/auth?" in request.url) as asked:
        await page.click("text=Sign in with your organisation account")
    authorization = (await asked.value).url
    assert authorization.startswith(f"{issuer}/auth?")
    assert "code_challenge_method=S256" in authorization, "PKCE"
    assert "nonce=" in authorization
    await provider_sign_in(page, "aysel")
    await page.wait_for_url(f"{console_url}/**")
    assert "/items/00000000-0000-0000-0000-000000000000" in page.url, await page.inner_text("main")
    assert "Page not found" in await page.inner_text("h1")
    await page.goto(f"{console_url}/")
    assert "Aysel Məmmədova" in await page.inner_text(".console-account")
    assert "2026 spring session" in await page.inner_text("h1")
    await context.close()


async def test_a_person_without_an_account_is_refused(browser: Browser, oidc_console):  # noqa: F811
    console_url, _issuer = oidc_console
    context = await browser.new_context(locale="en-GB")
    page = await context.new_page()
    await page.goto(f"{console_url}/sign-in")
    await page.click("text=Sign in with your organisation account")
    await provider_sign_in(page, "stranger")
    await page.wait_for_url(f"{console_url}/**")
    assert "no account of this console is set up for you" in await page.inner_text("main")
    await page.goto(f"{console_url}/")
    assert page.url.startswith(f"{console_url}/sign-in"), "nobody was signed in"
    await context.close()


async def test_a_forged_or_replayed_callback_signs_nobody_in(oidc_console):
    console_url, _issuer = oidc_console
    async with httpx.AsyncClient(base_url=console_url, headers={"Accept-Language": "en"}) as client:
        forged = await client.get("/sign-in/oidc/callback", params={"state": "x", "code": "y"})
        assert forged.status_code == 400
        assert "this sign-in had expired or was already used" in forged.text
        assert "workplan_session" not in forged.headers.get("set-cookie", "")
