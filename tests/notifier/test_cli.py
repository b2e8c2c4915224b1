"""``workplan notifier-admin``: what an operator types, against the real database."""

from __future__ import annotations

import json
import uuid

import pytest
from typer.testing import CliRunner

from services.notifier.entrypoints.cli import app


@pytest.fixture
def cli_env(notifier_settings, notifier, monkeypatch):
    monkeypatch.setenv("WORKPLAN_DATABASE_URL", notifier_settings.database_url.get_secret_value())
    monkeypatch.setenv("WORKPLAN_AMQP_URL", notifier_settings.amqp_url.get_secret_value())
    monkeypatch.chdir("/")  # no .env of the working tree
    monkeypatch.setenv("COLUMNS", "250")  # room for the tables


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_an_operator_manages_recipients_subscriptions_webhooks_and_deliveries(cli_env):
    code, out = invoke("recipients", "add", "--name", "Ops", "--email", "ops@example.gov.az")
    assert code == 0, out
    recipient = out.strip()
    uuid.UUID(recipient)
    code, out = invoke("recipients", "list")
    assert "ops@example.gov.az" in out

    code, out = invoke(
        "webhooks", "add", "--recipient", recipient, "--url", "https://x.example.az/h"
    )
    assert code == 0, out
    assert "secret: whsec_" in out
    code, out = invoke(
        "subscriptions", "add", "--recipient", recipient, "--channel", "webhook",
        "--event-type", "workplan.hearing.*",
    )  # fmt: skip
    assert code == 0, out
    subscription = out.strip()
    assert invoke("subscriptions", "mute", subscription)[0] == 0
    code, out = invoke("subscriptions", "list", "--recipient", recipient)
    assert "workplan.hearing.*" in out
    assert "True" in out

    code, out = invoke("mandatory", "add", "--event-type", "workplan.hearing.cancelled.*")
    assert code == 0, out
    assert "workplan.hearing.cancelled.*" in invoke("mandatory", "list")[1]

    code, out = invoke("deliveries", "failed")
    assert "0 delivery(ies) not delivered" in out
    assert invoke("digest", "run", "--date", "2026-03-01")[1].strip() == "queued 0 digest(s)"


def test_mistakes_are_refused_with_the_reason(cli_env):
    code, out = invoke("recipients", "add", "--name", "X", "--email", "nope")
    assert code == 1
    assert "not an e-mail address" in out
    code, out = invoke("subscriptions", "add", "--recipient", str(uuid.uuid4()), "--channel", "fax")
    assert code == 2
    code, out = invoke("deliveries", "resend", str(uuid.uuid4()))
    assert code == 1
    assert "does not exist" in out
    code, _ = invoke("digest", "run", "--date", "tomorrow")
    assert code == 2


def test_the_cli_refuses_what_the_api_refuses(cli_env):
    code, out = invoke("recipients", "add", "--name", "X", "--email", "a\x07b@example.gov.az")
    assert code == 1
    assert "must not contain control characters" in out
    code, out = invoke(
        "recipients", "add", "--name", "X", "--email", "x@example.gov.az", "--timezone", "America"
    )
    assert code == 1
    assert "not a known IANA time zone" in out
    code, out = invoke("recipients", "add", "--name", "X", "--email", "x@example.gov.az")
    assert code == 0, out
    code, out = invoke("webhooks", "add", "--recipient", out.strip(), "--url", "http://x:abc/")
    assert code == 1
    assert "invalid port" in out
    code, out = invoke("digest", "run", "--date", "0001-01-01")
    assert code == 2
    assert "between the years 1900 and 2200" in out
    assert "--date" in out


def test_listings_never_cut_what_an_operator_copies(cli_env, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")  # a narrow window, or a pipe
    code, out = invoke(
        "recipients", "add", "--name", "Ops", "--email", "press-office@example.gov.az"
    )
    recipient = out.strip()
    url = "https://receiver.example.gov.az/workplan/webhooks/inbound-notifications"
    code, out = invoke("webhooks", "add", "--recipient", recipient, "--url", url)
    assert code == 0, out
    code, out = invoke(
        "subscriptions", "add", "--recipient", recipient, "--channel", "email",
        "--event-type", "workplan.hearing.rescheduled.v1", "--committee", "MM-IRIPT",
    )  # fmt: skip
    subscription = out.strip()

    listed = {
        "recipients": invoke("recipients", "list")[1],
        "webhooks": invoke("webhooks", "list")[1],
        "subscriptions": invoke("subscriptions", "list", "--recipient", recipient)[1],
    }
    assert recipient in listed["recipients"]
    assert "press-office@example.gov.az" in listed["recipients"]
    assert recipient in listed["webhooks"]
    assert url in listed["webhooks"]
    assert subscription in listed["subscriptions"]
    assert recipient in listed["subscriptions"]
    assert "workplan.hearing.rescheduled.v1" in listed["subscriptions"]
    assert "…" not in "".join(listed.values())


def test_every_listing_has_json_for_programs(cli_env):
    code, out = invoke("recipients", "add", "--name", "Ops", "--email", "ops@example.gov.az")
    recipient = out.strip()
    url = "https://receiver.example.gov.az/hooks"
    invoke("webhooks", "add", "--recipient", recipient, "--url", url)
    invoke("subscriptions", "add", "--recipient", recipient, "--channel", "inbox")
    invoke("mandatory", "add", "--event-type", "workplan.hearing.cancelled.*")

    code, out = invoke("recipients", "list", "--json")
    assert code == 0, out
    [found] = [r for r in json.loads(out) if r["id"] == recipient]
    assert found["email"] == "ops@example.gov.az"
    assert found["timezone"] == "Asia/Baku"
    assert found["active"] is True

    [hook] = json.loads(invoke("webhooks", "list", "--json")[1])
    assert (hook["recipient_id"], hook["url"], hook["enabled"]) == (recipient, url, True)
    assert "secret" not in hook  # shown once, when the endpoint is added

    [subscription] = json.loads(
        invoke("subscriptions", "list", "--recipient", recipient, "--json")[1]
    )
    assert (subscription["channel"], subscription["event_type"]) == ("inbox", "*")
    assert subscription["muted"] is False

    notices = json.loads(invoke("mandatory", "list", "--json")[1])
    assert [n["event_type"] for n in notices] == ["workplan.hearing.cancelled.*"]
    assert notices[0]["committee"] is None
    assert json.loads(invoke("deliveries", "failed", "--json")[1]) == []
