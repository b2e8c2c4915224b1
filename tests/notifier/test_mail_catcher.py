"""The local mail catcher of ``workplan up``: the notifier's real SMTP conversation, each
message kept as an ``.eml`` file exactly as sent, and ``workplan mail list|show``."""

from __future__ import annotations

import asyncio
import json

import pytest
from typer.testing import CliRunner

from shared.runtime.mail_folder import MailFolder
from tests.notifier.conftest import client_of, running
from tests.notifier.scenario import Hearing, add_recipient, publish, settled, subscribe
from tests.notifier.servers import free_port
from tests.support import eventually
from workplan.cli.mail import app as mail_cli
from workplan.local_run.mail_catcher import MailCatcher


@pytest.fixture
def catcher(tmp_path, monkeypatch):
    folder = MailFolder(tmp_path / "mail")
    told: list[tuple[str, list[str]]] = []
    server = MailCatcher(
        folder, "127.0.0.1", free_port(), caught=lambda path, to: told.append((path.stem, to))
    )
    server.told = told  # type: ignore[attr-defined]
    server.start()
    monkeypatch.setenv("WORKPLAN_MAIL_CATCHER_DIR", str(folder.path))
    monkeypatch.chdir(tmp_path)  # no .env of the working tree
    yield server
    server.stop()


async def mail(*args: str):
    return await asyncio.to_thread(CliRunner().invoke, mail_cli, list(args))


async def test_mail_the_notifier_sends_is_caught_listed_and_shown(
    notifier_settings, admin, notifier, publisher, events_topology, catcher
):
    to_catcher = notifier_settings.model_copy(update={"smtp_port": catcher.port})
    async with running(to_catcher) as application, client_of(application) as client:
        recipient = await add_recipient(client, admin, language="en")
        await subscribe(client, admin, recipient["id"])
        await publish(publisher, events_topology, Hearing().scheduled())
        await settled(notifier, 1)
        [caught] = await eventually(lambda: _listed(catcher.folder), timeout=10)

    listed = json.loads((await mail("list", "--json")).output)
    shown = await mail("show")
    raw = await mail("show", "--raw", caught.id[:20])
    empty_handed = await mail("show", "no-such-id")

    assert [entry["id"] for entry in listed] == [caught.id]
    assert catcher.told == [(caught.id, [recipient["email"]])]
    assert listed[0]["to"].endswith(f"<{recipient['email']}>")
    assert listed[0]["subject"].startswith("Hearing scheduled: Hearing on the Justice for Khojaly")
    assert shown.exit_code == 0, shown.output
    assert "Subject: Hearing scheduled: Hearing on the Justice for Khojaly" in shown.output
    assert "List-Unsubscribe: <https://notifier.workplan.test/unsubscribe?token=" in shown.output
    assert "Parts: text/plain, text/html, text/calendar" in shown.output
    assert "When: 12 March 2026, 11:00–13:00 (Asia/Baku)" in shown.output
    assert raw.stdout_bytes == caught.path.read_bytes()
    assert b"\r\nList-Unsubscribe: <https://notifier.workplan.test/unsubscribe?token=s." in (
        raw.stdout_bytes
    )
    assert empty_handed.exit_code == 1
    assert "'no-such-id' matches no message" in empty_handed.output


async def test_an_empty_catcher_says_where_it_looks(catcher):
    listed = await mail("list")
    shown = await mail("show")

    assert "no mail caught yet in" in listed.output
    assert str(catcher.folder.path) in listed.output.replace("\n", "")
    assert shown.exit_code == 1


async def _listed(folder: MailFolder):
    return folder.list()
