"""A service that is down: the pages that need it say so clearly, the others keep working."""

from __future__ import annotations

import socket

import httpx

from services.console.main import create_app
from tests.console.conftest import console_settings_for, sign_in
from tests.console.pages import text_of
from tests.console.servers import serving


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_pages_say_which_service_is_down_and_the_rest_keeps_working(
    stack, database_url, run_id
):
    nowhere = f"http://127.0.0.1:{closed_port()}"
    item_id = next(iter(stack.items.values()))  # an item of the sample plan
    without_archive = console_settings_for(
        database_url, run_id, planner_url=stack.planner_url, archive_url=nowhere,
        notifier_url=stack.notifier_url,
    )  # fmt: skip
    async with (
        serving(create_app(without_archive)) as url,
        httpx.AsyncClient(base_url=url, headers={"Accept-Language": "en"}) as client,
    ):
        await sign_in(client, "cleared")
        page = await client.get(f"/items/{item_id}")
        assert page.status_code == 200
        shown = text_of(page)
        assert "The archive is not answering, so the history cannot be shown now" in shown
        assert "Hearings" in shown, "the planner's part of the page is there"

    without_planner = console_settings_for(
        database_url, run_id, planner_url=nowhere, archive_url=stack.archive_url,
        notifier_url=stack.notifier_url,
    )  # fmt: skip
    async with (
        serving(create_app(without_planner)) as url,
        httpx.AsyncClient(base_url=url, headers={"Accept-Language": "en"}) as client,
    ):
        signed_in = await sign_in(client, "clerk")
        assert signed_in.status_code == 303, "signing in does not need the other services"
        page = await client.get("/")
        assert page.status_code == 503
        shown = text_of(page)
        assert "Sorry, this page is not available right now" in shown
        assert "The planner service is not answering" in shown
        assert "Traceback" not in page.text
        assert "{" not in shown
        assert "Sign out" in shown, "the header and navigation still work"
