"""Restricted means restricted, in every service and every channel (the access matrix).

One data set, built through the real services: public, internal and restricted items with
hearings and meetings, linked by staff and by external reports; an internal item
reclassified as restricted later. Then every read route of the planner and the archive is
driven by an uncleared and a cleared principal, and every channel of the notifier (e-mail,
webhook, inbox, digest) and the archive's calendar feed is read as an uncleared
recipient gets it. The uncleared one must meet no identifier and no text of restricted
data anywhere (bodies, CSV, headers, errors); every read of it by the cleared one is
logged.
"""

# ruff: noqa: F811 - the services' fixtures, imported from their test packages, are parameters here

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from services.planner.handlers.plan_file import PlanFile
from services.planner.handlers.plan_import import import_plan
from services.planner.main import create_app as create_planner
from shared.auth.tokens import mint_token
from shared.contract import new_event
from shared.contract.meetings import MeetingHeld
from shared.messaging.topology import Topology
from tests.archive.conftest import (  # noqa: F401 - fixtures
    archive_app,
    archive_client,
    archive_db,
    archive_settings,
    publisher,
)
from tests.conftest import EXTERNAL_SOURCE
from tests.notifier.conftest import (  # noqa: F401 - fixtures
    admin,
    client,
    client_of,
    notifier,
    notifier_app,
    notifier_settings,
    receiver,
    smtp_server,
)
from tests.notifier.scenario import add_recipient, settled, subscribe
from tests.planner.conftest import planner  # noqa: F401 - fixture
from tests.support import eventually
from workplan.cli.events import to_message

COMMITTEE, SESSION = "MM-IRIPT", "2026-spring"
PLAN = {
    "format": "workplan/v1",
    "committee": {"code": COMMITTEE, "name": {"en": "Committee on International Relations"}},
    "session": {
        "code": SESSION,
        "name": {"en": "2026 spring session"},
        "starts_on": "2026-02-01",
        "ends_on": "2026-05-31",
        "timezone": "Asia/Baku",
    },
    "organizations": [
        {"code": "PACE", "name": {"en": "PACE"}, "classification": "international_parliamentary_assembly"},
        {"code": "MFA", "name": {"en": "Ministry of Foreign Affairs"}, "classification": "ministry"},
        {"code": "ZZ-HIDDEN", "name": {"en": "Counterpart with a restricted item only"}, "classification": "national_parliament"},
        {"code": "ZZ-SECRET", "name": {"en": "Named by restricted records only"}, "classification": "national_parliament"},
    ],
}  # fmt: skip
SECRET_TEXT = ("RSTRALPHA", "RSTRBRAVO", "RSTRCHARLIE", "RSTRDELTA", "RSTRECHO")
"""Words that only restricted records carry (the restricted item R, its hearing, its meeting)."""
LATER_TEXT = ("RSTRLATER",)
"""Words of the item R2, internal at first and reclassified restricted later."""


@dataclass
class DataSet:
    ids: dict[str, str] = field(default_factory=dict)
    """Name → id of every record made."""

    @property
    def secret_ids(self) -> tuple[str, ...]:
        return tuple(self.ids[name] for name in ("R", "Rh", "Rm"))

    @property
    def later_ids(self) -> tuple[str, ...]:
        return tuple(self.ids[name] for name in ("R2", "R2h", "R2m"))

    @property
    def secrets(self) -> tuple[str, ...]:
        return (*SECRET_TEXT, *LATER_TEXT, *self.secret_ids, *self.later_ids)


def token(settings: Any, subject: str, *scopes: str) -> dict[str, str]:
    value = mint_token(settings, subject=subject, scopes=scopes, ttl=timedelta(hours=1))
    return {"Authorization": f"Bearer {value}"}


def leaks(answer: httpx.Response, secrets: Iterable[str]) -> list[str]:
    """The secrets found in an answer's body or headers (case-insensitive)."""
    seen = (answer.text + " " + json.dumps(dict(answer.headers))).lower()
    return [secret for secret in secrets if secret.lower() in seen]


@pytest.fixture
async def planner_client(
    settings,
    planner,
    archive_app,  # its queue is bound before the planner publishes
    notifier_app,  # the notifier's too
) -> AsyncIterator[httpx.AsyncClient]:
    await import_plan(PlanFile.model_validate(PLAN), planner.uow())
    application = create_planner(settings)
    async with application.router.lifespan_context(application), client_of(application) as http:
        yield http


async def build_data_set(
    planner_client: httpx.AsyncClient,
    clerk: dict[str, str],
    report: Any,
) -> DataSet:
    """Items, hearings and meetings of every classification, linked by staff and reports."""
    data = DataSet()

    async def post(url: str, body: dict[str, Any], status: int = 201) -> dict[str, Any]:
        answer = await planner_client.post(url, json=body, headers=clerk)
        assert answer.status_code == status, answer.text
        return dict(answer.json())

    def item(title: str, classification: str, organizations: list[str]) -> dict[str, Any]:
        return {
            "committee": COMMITTEE,
            "session": SESSION,
            "title": {"en": title, "az": title},
            "description": {"en": f"About {title}"},
            "category": "cooperation",
            "organizations": organizations,
            "classification": classification,
        }

    data.ids["R"] = (
        await post("/api/v1/items", item("RSTRALPHA talks RSTRBRAVO", "restricted", ["ZZ-HIDDEN", "ZZ-SECRET", "PACE"]))
    )["id"]  # fmt: skip
    data.ids["I"] = (
        await post("/api/v1/items", item("Internal delegation", "internal", ["PACE"]))
    )["id"]
    data.ids["P"] = (await post("/api/v1/items", item("Public assembly", "public", ["PACE"])))["id"]
    data.ids["R2"] = (
        await post("/api/v1/items", item("RSTRLATER review", "internal", ["PACE"]))
    )["id"]  # fmt: skip

    def hearing(day: int, location: str) -> dict[str, Any]:
        return {
            "starts_at": f"2026-03-{day:02d}T11:00:00+04:00",
            "ends_at": f"2026-03-{day:02d}T12:00:00+04:00",
            "location": location,
            "allow_overlap": True,
        }

    for name, owner, day, location in (
        ("Rh", "R", 10, "RSTRCHARLIE room"),
        ("Ih", "I", 11, "Hall 3"),
        ("Ph", "P", 12, "Hall 1"),
        ("R2h", "R2", 13, "RSTRLATER hall"),
    ):
        data.ids[name] = (
            await post(f"/api/v1/items/{data.ids[owner]}/hearings", hearing(day, location))
        )["id"]

    def meeting(owner: str, words: str) -> dict[str, Any]:
        return {  # no classification: the item's decides
            "organizations": ["PACE"],
            "item_id": data.ids[owner],
            "held_at": "2026-02-18T10:00:00+04:00",
            "title": {"en": f"Meeting {words}"},
            "location": f"{words} venue",
            "summary": {"en": f"Summary {words}"},
        }

    data.ids["Rm"] = (await post("/api/v1/meetings", meeting("R", "RSTRDELTA RSTRECHO")))["id"]
    data.ids["Pm"] = (await post("/api/v1/meetings", meeting("P", "open talk")))["id"]
    data.ids["R2m"] = (await post("/api/v1/meetings", meeting("R2", "RSTRLATER minutes")))["id"]

    # Reports of another system: naming the restricted item; naming only its counterpart;
    # and one whose data carries no classification at all (the contract's default).
    await report("ext-1", item_id=data.ids["R"], organizations=["PACE"], title="Report one")
    await report("ext-2", organizations=["ZZ-HIDDEN"], title="Report two")
    await report("ext-3", organizations=["MFA"], title="Ministry briefing NOCLASS", bare=True)
    return data


async def test_an_uncleared_principal_meets_no_restricted_data_in_any_route_or_channel(
    planner_client,
    archive_client,
    archive_settings,
    archive_db,
    publisher,
    settings,
    client,
    admin,
    notifier,
    smtp_server,
    receiver,
    caplog,
):
    caplog.set_level(logging.INFO, logger="workplan.access")
    topology = Topology(settings.broker_prefix)
    clerk = token(settings, "clerk", "planner:read", "planner:write", "planner:restricted")

    # Staff who follow everything, on every channel; one of them cleared.
    uncleared = await add_recipient(client, admin, name="Uncleared clerk")
    for channel in ("email", "inbox"):
        await subscribe(client, admin, uncleared["id"], channel=channel)
    hook = await client.post(
        "/api/v1/webhook-endpoints",
        json={"recipient_id": uncleared["id"], "url": receiver.url},
        headers=admin,
    )
    assert hook.status_code == 201, hook.text
    await subscribe(client, admin, uncleared["id"], channel="webhook")
    daily = await add_recipient(client, admin, name="Uncleared digest reader")
    await subscribe(client, admin, daily["id"], mode="digest")
    cleared_staff = await add_recipient(client, admin, name="Cleared clerk", cleared=True)
    for channel in ("email", "inbox"):
        await subscribe(client, admin, cleared_staff["id"], channel=channel)

    async def report(meeting_id: str, *, title: str, bare: bool = False, **fields: Any) -> None:
        data = MeetingHeld(
            meeting_id=meeting_id,
            held_at=datetime(2026, 2, 20, 7, 0, tzinfo=UTC),
            title={"en": title},
            summary={"en": f"{title}: what was agreed"},
            **fields,
        ).model_dump(mode="json", exclude_none=True)
        if bare:
            del data["classification"]
        event = new_event(MeetingHeld.model_validate(data), source=EXTERNAL_SOURCE)
        event = event.model_copy(update={"data": data})
        await publisher.publish(to_message(event, topology, mode="structured"))

    data = await build_data_set(planner_client, clerk, report)

    # R2 was internal: what staff were told of it then was theirs to know. It is now
    # reclassified, and from here on nothing of it reaches the uncleared.
    await _wait_until_quiet(archive_client, archive_settings, notifier, data, reported=3)
    before = _channel_marks(smtp_server, receiver)
    changed = await planner_client.patch(
        f"/api/v1/items/{data.ids['R2']}", json={"classification": "restricted"}, headers=clerk
    )
    assert changed.status_code == 200, changed.text
    await _wait_for_item(notifier, data.ids["R2"], "restricted")
    moved = await planner_client.post(
        f"/api/v1/hearings/{data.ids['R2h']}/reschedule",
        json={
            "starts_at": "2026-03-14T11:00:00+04:00",
            "ends_at": "2026-03-14T12:00:00+04:00",
            "allow_overlap": True,
        },
        headers=clerk,
    )
    assert moved.status_code == 200, moved.text
    await report("ext-4", item_id=data.ids["R2"], organizations=["PACE"], title="Report four")
    await _wait_until_quiet(archive_client, archive_settings, notifier, data, reported=4)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date()
    digests = await client.post(f"/api/v1/digests?day={tomorrow.isoformat()}", headers=admin)
    assert digests.status_code == 200, digests.text
    await settled(notifier, 1)

    found: list[str] = []
    found += await _probe_planner(planner_client, settings, data)
    found += await _probe_archive(archive_client, archive_settings, data)
    found += await _probe_channels(
        client, notifier, smtp_server, receiver, settings, data, uncleared, daily, before
    )
    found += await _probe_cleared_recipient(client, smtp_server, settings, data, cleared_staff)
    found += await _probe_delivery_log(client, settings, data)
    assert found == [], "\n".join(found)

    await _check_cleared_reads_are_logged(
        planner_client, archive_client, settings, archive_settings, data, caplog
    )


async def _probe_planner(http: httpx.AsyncClient, settings: Any, data: DataSet) -> list[str]:
    """Every read route of the planner, as an uncleared reader."""
    reader = token(settings, "uncleared-reader", "planner:read")
    ids = data.ids
    found: list[str] = []
    routes = [
        f"/api/v1/items?committee={COMMITTEE}&limit=500",
        "/api/v1/items?organization=PACE",
        "/api/v1/items?organization=ZZ-HIDDEN",
        f"/api/v1/items/{ids['P']}",
        f"/api/v1/items/{ids['I']}",
        "/api/v1/hearings?limit=500",
        f"/api/v1/hearings?item_id={ids['R']}",
        f"/api/v1/hearings?committee={COMMITTEE}&session={SESSION}",
        "/api/v1/meetings?limit=500",
        f"/api/v1/meetings?item_id={ids['R']}",
        f"/api/v1/meetings?item_id={ids['R2']}",
        "/api/v1/meetings?organization=PACE",
        "/api/v1/meetings?organization=ZZ-HIDDEN",
        "/api/v1/organizations",
        "/api/v1/organizations/ZZ-HIDDEN",
    ]
    for route in routes:
        answer = await http.get(route, headers=reader)
        if answer.status_code != 200:
            found.append(f"planner {route}: {answer.status_code} {answer.text[:200]}")
        found += [f"planner {route}: {secret}" for secret in leaks(answer, data.secrets)]
    for kind, name in (("items", "R"), ("items", "R2"), ("hearings", "Rh"), ("hearings", "R2h"),
                       ("meetings", "Rm"), ("meetings", "R2m")):  # fmt: skip
        found += await _same_as_missing(http, reader, f"/api/v1/{kind}", ids[name], "planner")
    # a clerk's hearing that clashes with a restricted one: refused, without naming it
    clerk = token(settings, "uncleared-clerk", "planner:read", "planner:write")
    clash = await http.post(
        f"/api/v1/items/{ids['P']}/hearings",
        json={"starts_at": "2026-03-10T11:30:00+04:00", "ends_at": "2026-03-10T12:30:00+04:00"},
        headers=clerk,
    )
    if clash.status_code != 409 or "another hearing" not in clash.text:
        found.append(f"planner overlap: {clash.status_code} {clash.text[:200]}")
    found += [f"planner overlap: {secret}" for secret in leaks(clash, (*data.secrets, "07:00"))]
    # reports of another system are kept, never linked to what their source may not see
    meetings = (await http.get("/api/v1/meetings?limit=500", headers=reader)).json()
    reported = {m["external_id"]: m for m in meetings if m["source"] == EXTERNAL_SOURCE}
    assert set(reported) == {"ext-1", "ext-2", "ext-3", "ext-4"}
    for external_id in ("ext-1", "ext-4"):  # they name R and R2: recorded unlinked, with why
        assert reported[external_id]["item_id"] is None
        assert "not one its source may see" in reported[external_id]["unlinked_reason"]
    assert reported["ext-2"]["item_id"] is None  # its counterpart's only open item is R
    assert reported["ext-3"]["classification"] == "internal"
    return found


async def _probe_archive(http: httpx.AsyncClient, settings: Any, data: DataSet) -> list[str]:
    """Every read route of the archive, as an uncleared reader (every format)."""
    reader = token(settings, "uncleared-analyst", "archive:read")
    ids = data.ids
    found: list[str] = []
    routes = [
        "/api/v1/events?limit=1000",
        "/api/v1/events?limit=1000&format=csv",
        "/api/v1/events?limit=1000&format=jsonl",
        f"/api/v1/events?item_id={ids['R']}",
        f"/api/v1/events?subject=hearing/{ids['Rh']}",
        "/api/v1/events?organization=ZZ-HIDDEN",
        "/api/v1/events?q=rstralpha",
        "/api/v1/search?q=rstralpha",
        "/api/v1/search?q=rstrlater",
        "/api/v1/search?q=report",
        "/api/v1/items?limit=1000",
        "/api/v1/items?limit=1000&format=csv",
        "/api/v1/hearings?limit=1000",
        "/api/v1/hearings?limit=1000&format=jsonl",
        "/api/v1/meetings?limit=1000",
        f"/api/v1/meetings?item_id={ids['R']}",
        f"/api/v1/items/{ids['P']}",
        f"/api/v1/items/{ids['I']}",
        f"/api/v1/items/{ids['P']}?as_of=2030-01-01T00:00:00Z",
        "/api/v1/calendar.ics",
        f"/api/v1/reports/work-plan?committee={COMMITTEE}&session={SESSION}",
        "/api/v1/organizations/PACE/activity",
        "/api/v1/organizations/PACE/activity?format=csv",
    ]
    for route in routes:
        answer = await http.get(route, headers=reader)
        if answer.status_code != 200:
            found.append(f"archive {route}: {answer.status_code} {answer.text[:200]}")
        found += [f"archive {route}: {secret}" for secret in leaks(answer, data.secrets)]
    for kind, name in (("items", "R"), ("items", "R2"), ("hearings", "Rh"), ("hearings", "R2h")):
        found += await _same_as_missing(http, reader, f"/api/v1/{kind}", ids[name], "archive")
    hidden = await http.get("/api/v1/organizations/ZZ-SECRET/activity", headers=reader)
    unknown = await http.get("/api/v1/organizations/ZZ-NOBODY/activity", headers=reader)
    if (hidden.status_code, hidden.text.replace("ZZ-SECRET", "?")) != (
        unknown.status_code,
        unknown.text.replace("ZZ-NOBODY", "?"),
    ):
        found.append(f"archive organisation activity: {hidden.status_code} {hidden.text}")
    # counts and first/last times count what this reader may see, nothing else
    activity = await http.get("/api/v1/organizations/PACE/activity", headers=reader)
    shown = activity.json()
    if int(activity.headers["X-Organization-Events"]) >= 20:
        found.append("archive organisation activity counts restricted events")
    assert {row["kind"] for row in shown} >= {"item", "hearing", "meeting"}
    # a report whose data has no classification is internal (the contract's default)
    bare = await http.get("/api/v1/events?q=noclass", headers=reader)
    assert [event["event"]["data"]["meeting_id"] for event in bare.json()] == ["ext-3"]
    refused = await http.get("/api/v1/access-log", headers=reader)
    assert refused.status_code == 403
    found += await _probe_calendar_feeds(http, settings, data)
    return found


async def _probe_calendar_feeds(http: httpx.AsyncClient, settings: Any, data: DataSet) -> list[str]:
    """A calendar feed address (no header needed) shows what its owner may see: an
    uncleared owner's never a restricted hearing; following a restricted item answers as
    following one that does not exist."""
    found: list[str] = []
    owner = token(settings, "uncleared-feed-owner", "archive:read")
    made = await http.post("/api/v1/feeds", json={"name": "Mine"}, headers=owner)
    assert made.status_code == 201, made.text
    feed = await http.get(httpx.URL(made.json()["url"]).path)
    assert feed.status_code == 200, feed.text
    assert "BEGIN:VEVENT" in feed.text  # the public and internal hearings are there
    found += [f"calendar feed: {secret}" for secret in leaks(feed, data.secrets)]
    missing = str(uuid.uuid4())
    hidden = await http.post("/api/v1/feeds", json={"items": [data.ids["R"]]}, headers=owner)
    unknown = await http.post("/api/v1/feeds", json={"items": [missing]}, headers=owner)
    if (hidden.status_code, hidden.text.replace(data.ids["R"], "?")) != (
        unknown.status_code,
        unknown.text.replace(missing, "?"),
    ):
        found.append(f"calendar feed of a restricted item: {hidden.status_code} {hidden.text}")
    return found


async def _same_as_missing(
    http: httpx.AsyncClient, headers: dict[str, str], base: str, hidden: str, service: str
) -> list[str]:
    """A hidden record answers exactly as one that does not exist (404, same words)."""
    missing = str(uuid.uuid4())
    one = await http.get(f"{base}/{hidden}", headers=headers)
    other = await http.get(f"{base}/{missing}", headers=headers)
    if (one.status_code, one.text.replace(hidden, "?")) != (
        other.status_code,
        other.text.replace(missing, "?"),
    ) or one.status_code != 404:
        return [f"{service} {base}/{hidden}: {one.status_code} {one.text[:200]}"]
    return []


@dataclass(frozen=True)
class ChannelMarks:
    """How far each channel had got when R2 was reclassified."""

    mails: int
    hooks: int
    at: datetime


def _channel_marks(smtp_server: Any, receiver: Any) -> ChannelMarks:
    return ChannelMarks(len(smtp_server.messages), len(receiver.requests), datetime.now(UTC))


def _mail_text(mail: Any) -> str:
    message = mail.message
    parts = [part.get_content() for part in message.walk() if not part.is_multipart()]
    rendered = " ".join(str(part) for part in parts)
    headers = " ".join(f"{name}: {value}" for name, value in message.items())
    return f"{mail.data.decode(errors='replace')} {headers} {rendered}"


async def _probe_channels(
    client: httpx.AsyncClient,
    notifier: Any,
    smtp_server: Any,
    receiver: Any,
    settings: Any,
    data: DataSet,
    uncleared: dict[str, Any],
    daily: dict[str, Any],
    before: ChannelMarks,
) -> list[str]:
    """E-mail (with calendar invitations), webhook, inbox and digest of uncleared staff."""
    always = (*SECRET_TEXT, *data.secret_ids)
    found: list[str] = []
    mails = [
        m for m in smtp_server.messages if m.rcpt_tos in ([uncleared["email"]], [daily["email"]])
    ]
    assert mails, "the uncleared staff got no mail at all"
    assert any(m.rcpt_tos == [daily["email"]] for m in mails), "no digest was sent"
    for index, mail in enumerate(smtp_server.messages):
        if mail not in mails:
            continue
        secrets = data.secrets if index >= before.mails else always
        content = _mail_text(mail).lower()
        found += [f"e-mail {mail.rcpt_tos}: {s}" for s in secrets if s.lower() in content]
    assert receiver.requests, "the uncleared staff's webhook got nothing at all"
    for index, request in enumerate(receiver.requests):
        secrets = data.secrets if index >= before.hooks else always
        body = request.body.decode().lower()
        found += [f"webhook: {s}" for s in secrets if s.lower() in body]
    inbox = token(settings, uncleared["id"], "notifier:read")
    notices = await client.get("/api/v1/inbox?limit=500", headers=inbox)
    assert notices.status_code == 200, notices.text
    assert notices.json(), "the uncleared staff's inbox is empty"
    for notice in notices.json():
        made = datetime.fromisoformat(notice["created_at"])
        secrets = data.secrets if made >= before.at else always
        content = json.dumps(notice, ensure_ascii=False).lower()
        found += [f"inbox: {s}" for s in secrets if s.lower() in content]
    async with notifier.engine.connect() as connection:
        restricted = await connection.scalar(
            text(
                "SELECT count(*) FROM notifier.deliveries "
                "WHERE restricted AND recipient_id IN (:a, :b)"
            ),
            {"a": uncleared["id"], "b": daily["id"]},
        )
    if restricted:
        found.append(f"{restricted} restricted deliveries were made for uncleared recipients")
    return found


async def _probe_cleared_recipient(
    client: httpx.AsyncClient, smtp_server: Any, settings: Any, data: DataSet, staff: dict[str, Any]
) -> list[str]:
    """A cleared recipient is told that restricted records changed: ids and a link, no text,
    no calendar entry (restricted data never goes into e-mail or webhook bodies)."""
    found: list[str] = []
    mails = [m for m in smtp_server.messages if m.rcpt_tos == [staff["email"]]]
    redacted = [m for m in mails if "restricted" in m.message["Subject"].lower()]
    assert redacted, "the cleared recipient was told nothing of restricted records"
    for mail in redacted:
        content = _mail_text(mail).lower()
        found += [
            f"cleared e-mail: {s}" for s in (*SECRET_TEXT, *LATER_TEXT) if s.lower() in content
        ]
        if "text/calendar" in content:
            found.append("cleared e-mail: a calendar entry of a restricted hearing")
    inbox = token(settings, staff["id"], "notifier:read")
    notices = (await client.get("/api/v1/inbox?limit=500", headers=inbox)).json()
    for notice in notices:
        if notice["restricted"]:
            content = json.dumps(notice, ensure_ascii=False).lower()
            found += [f"cleared inbox: {s}" for s in SECRET_TEXT if s.lower() in content]
    return found


async def _probe_delivery_log(client: httpx.AsyncClient, settings: Any, data: DataSet) -> list[str]:
    """An administrator of the notifier who is not cleared never sees the deliveries of
    restricted notices (their subjects name restricted records); a cleared one does."""
    found: list[str] = []
    operator = token(settings, "uncleared-operator", "notifier:admin")
    shown = await client.get("/api/v1/deliveries?limit=500", headers=operator)
    assert shown.status_code == 200, shown.text
    found += [f"delivery log: {secret}" for secret in leaks(shown, data.secrets)]
    cleared_operator = token(settings, "cleared-operator", "notifier:admin", "notifier:restricted")
    everything = (await client.get("/api/v1/deliveries?limit=500", headers=cleared_operator)).json()
    restricted = [d for d in everything if d["restricted"]]
    assert restricted, "no delivery of a restricted notice was made for the cleared recipient"
    found += await _same_as_missing(
        client, operator, "/api/v1/deliveries", restricted[0]["id"], "notifier"
    )
    return found


async def _check_cleared_reads_are_logged(
    planner_http: httpx.AsyncClient,
    archive_http: httpx.AsyncClient,
    settings: Any,
    archive_config: Any,
    data: DataSet,
    caplog: Any,
) -> None:
    """A cleared principal sees it all, and every read of restricted data is in a log:
    the planner's access log lines, the archive's access log (read by an auditor)."""
    ids = data.ids
    planner_reader = token(settings, "cleared-reader", "planner:read", "planner:restricted")
    caplog.clear()
    for route, subject in (
        (f"/api/v1/items/{ids['R']}", f"item/{ids['R']}"),
        (f"/api/v1/hearings/{ids['Rh']}", f"hearing/{ids['Rh']}"),
        (f"/api/v1/meetings/{ids['Rm']}", f"meeting/{ids['Rm']}"),
        ("/api/v1/meetings?limit=500", f"meeting/{ids['R2m']}"),
        ("/api/v1/hearings?limit=500", f"hearing/{ids['R2h']}"),
    ):
        answer = await planner_http.get(route, headers=planner_reader)
        assert answer.status_code == 200, answer.text
        logged = [r for r in caplog.records if r.name == "workplan.access"]
        assert any(
            subject in r.subjects and r.principal == "cleared-reader" and r.path in route
            for r in logged
        ), (route, [r.getMessage() for r in logged])
    meeting = (
        await planner_http.get(f"/api/v1/meetings/{ids['Rm']}", headers=planner_reader)
    ).json()
    assert meeting["classification"] == "restricted"  # recorded without one, for a restricted item

    analyst = token(archive_config, "cleared-analyst", "archive:read", "archive:restricted")
    report = f"/api/v1/reports/work-plan?committee={COMMITTEE}&session={SESSION}"
    expected = {
        f"/api/v1/items/{ids['R']}": {f"item/{ids['R']}", f"hearing/{ids['Rh']}"},
        f"/api/v1/hearings/{ids['Rh']}": {f"hearing/{ids['Rh']}"},
        "/api/v1/search?q=rstralpha": {f"item/{ids['R']}"},
        report: {f"hearing/{ids['Rh']}", f"meeting/{ids['Rm']}"},
        "/api/v1/organizations/ZZ-SECRET/activity": {f"item/{ids['R']}"},
        "/api/v1/calendar.ics": {f"hearing/{ids['Rh']}"},
        "/api/v1/events?limit=1000": {f"hearing/{ids['Rh']}"},
    }
    for url in expected:
        answer = await archive_http.get(url, headers=analyst)
        assert answer.status_code == 200, (url, answer.text)
        shown = answer.text.lower()
        assert any(secret.lower() in shown for secret in (*SECRET_TEXT, *data.secret_ids)), url
    made = await archive_http.post("/api/v1/feeds", json={"name": "Cleared"}, headers=analyst)
    assert made.status_code == 201, made.text
    feed = await archive_http.get(httpx.URL(made.json()["url"]).path)
    assert "RSTRCHARLIE" in feed.text  # the cleared owner's feed has the restricted hearing
    auditor = token(archive_config, "auditor", "archive:audit")
    entries = (
        await archive_http.get("/api/v1/access-log?principal=cleared-analyst", headers=auditor)
    ).json()
    by_path: dict[str, set[str]] = {}
    for entry in entries:
        assert entry["principal"] == "cleared-analyst"
        by_path.setdefault(entry["path"], set()).update(entry["subjects"])
    for url, subjects in expected.items():
        path = url.split("?", 1)[0]
        assert subjects <= by_path.get(path, set()), (url, by_path.get(path))
    reader = f"feed {made.json()['id']} of cleared-analyst"  # a feed reads as its owner's
    feed_reads = (
        await archive_http.get("/api/v1/access-log", params={"principal": reader}, headers=auditor)
    ).json()
    assert feed_reads, "the feed's read of restricted data is not logged"
    assert f"hearing/{ids['Rh']}" in feed_reads[0]["subjects"]
    secret_token = httpx.URL(made.json()["url"]).path.rsplit("/", 1)[-1].removesuffix(".ics")
    assert secret_token not in json.dumps(feed_reads)  # the address is logged, not its token
    assert not any(subject.startswith("state/") for s in by_path.values() for subject in s)
    nobody = await archive_http.get(
        "/api/v1/access-log?principal=uncleared-analyst", headers=auditor
    )
    assert nobody.json() == []  # the uncleared analyst was shown nothing restricted
    one = await archive_http.get(
        f"/api/v1/access-log?subject=meeting/{ids['Rm']}&format=csv", headers=auditor
    )
    assert one.status_code == 200
    lines = one.text.strip().splitlines()
    assert lines[0] == "id,at,principal,method,path,query,rows,subjects"
    assert len(lines) >= 2
    assert all("cleared-analyst" in line for line in lines[1:])


async def _wait_until_quiet(
    archive: httpx.AsyncClient, settings: Any, notifier: Any, data: DataSet, *, reported: int
) -> None:
    """Until the archive holds the reports and the last change, and the notifier is idle."""
    analyst = token(settings, "waiting", "archive:read", "archive:restricted")

    async def archived() -> bool:
        answer = await archive.get(
            f"/api/v1/events?source={EXTERNAL_SOURCE}&limit=100", headers=analyst
        )
        hearings = await archive.get(f"/api/v1/hearings/{data.ids['R2h']}", headers=analyst)
        done = reported < 4 or hearings.json().get("status") == "rescheduled"
        return len(answer.json()) >= reported and done

    async def planner_events_notified() -> bool:
        """Every event the planner committed has reached the notifier (its inbox)."""
        async with notifier.engine.connect() as connection:
            missing = await connection.scalar(
                text(
                    "SELECT count(*) FROM planner.outbox o WHERE NOT EXISTS ("
                    "SELECT 1 FROM notifier.inbox i WHERE i.event_id = o.event_id)"
                )
            )
        return missing == 0

    await eventually(archived, timeout=30)
    await eventually(planner_events_notified, timeout=30)
    await settled(notifier, 1, timeout=30)


async def _wait_for_item(notifier: Any, item_id: str, classification: str) -> None:
    async def known() -> bool:
        async with notifier.engine.connect() as connection:
            found = await connection.scalar(
                text("SELECT classification FROM notifier.item_classifications WHERE item_id = :i"),
                {"i": item_id},
            )
        return found == classification

    await eventually(known, timeout=30)
