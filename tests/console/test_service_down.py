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


async def test_part_2_pages_without_the_notifier_or_the_archive(stack, database_url, run_id):
    nowhere = f"http://127.0.0.1:{closed_port()}"
    without_notifier = console_settings_for(
        database_url, run_id, planner_url=stack.planner_url, archive_url=stack.archive_url,
        notifier_url=nowhere,
    )  # fmt: skip
    async with (
        serving(create_app(without_notifier)) as url,
        httpx.AsyncClient(base_url=url, headers={"Accept-Language": "en"}) as client,
    ):
        await sign_in(client, "clerk")
        mine = await client.get("/my/notifications")
        assert mine.status_code == 200
        shown = text_of(mine)
        assert "Your account has no e-mail address" in shown or "notifier is not answering" in shown
        assert "My calendar addresses" in shown, "the archive's part still works"
        calendar = await client.get("/calendar")
        assert calendar.status_code == 200, "the calendar needs only the planner"
    # an account with an inbox: its pages say the notifier is down, the header still works
    with_inbox = console_settings_for(
        database_url, run_id, planner_url=stack.planner_url, archive_url=stack.archive_url,
        notifier_url=stack.notifier_url,
    )  # fmt: skip
    async with (
        serving(create_app(with_inbox)) as url,
        httpx.AsyncClient(base_url=url, headers={"Accept-Language": "en"}) as client,
    ):
        await sign_in(client, "colleague")  # links the recipient while the notifier answers
    async with (
        serving(create_app(without_notifier)) as url,
        httpx.AsyncClient(base_url=url, headers={"Accept-Language": "en"}) as client,
    ):
        await sign_in(client, "colleague")
        inbox = await client.get("/inbox")
        assert inbox.status_code == 503
        assert "The notifier service is not answering" in text_of(inbox)
        assert "Sign out" in text_of(inbox)
        mine = await client.get("/my/notifications")
        assert mine.status_code == 200
        assert "The notifier is not answering, so your subscriptions" in text_of(mine)
        work_plan = await client.get("/")
        assert work_plan.status_code == 200, "no unread count, and the page all the same"
        assert 'id="unread-count"' in work_plan.text

    without_archive = console_settings_for(
        database_url, run_id, planner_url=stack.planner_url, archive_url=nowhere,
        notifier_url=stack.notifier_url,
    )  # fmt: skip
    async with (
        serving(create_app(without_archive)) as url,
        httpx.AsyncClient(base_url=url, headers={"Accept-Language": "en"}) as client,
    ):
        await sign_in(client, "clerk")
        search = await client.get("/search", params={"q": "xocali"})
        assert search.status_code == 503
        assert "The archive service is not answering" in text_of(search)
        assert (await client.get("/calendar")).status_code == 200
        report = await client.get("/report")
        assert report.status_code == 200, "the report page reads the planner"
        mine = await client.get("/my/notifications")
        assert "The archive is not answering, so your calendar addresses" in text_of(mine)
