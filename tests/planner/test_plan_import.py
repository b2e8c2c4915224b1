"""Importing a work-plan file: idempotent, and precise about what is wrong with a bad file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
import yaml
from sqlalchemy import text
from typer.testing import CliRunner

from services.planner.entrypoints.cli import import_command, read_plan_file
from services.planner.handlers.plan_file import PlanFile
from services.planner.handlers.plan_import import import_plan
from tests.planner.conftest import SAMPLE
from tests.support import engine_of


async def outbox_types(planner) -> list[str]:
    async with engine_of(planner).connect() as connection:
        rows = await connection.execute(text("SELECT type FROM planner.outbox ORDER BY position"))
        return [row[0] for row in rows]


async def test_the_sample_plan_imports_every_item_and_organisation_once(planner):
    plan = read_plan_file(SAMPLE)
    first = await import_plan(plan, planner.uow())
    assert len(first.items_created) == 12
    assert len(first.organizations_created) == 17
    assert len(first.hearings_created) == 3
    assert len(first.meetings_created) == 3
    emitted = await outbox_types(planner)
    assert sorted(set(emitted)) == [
        "workplan.hearing.scheduled.v1",
        "workplan.item.created.v1",
        "workplan.item.status_changed.v1",  # a meeting held: its item is in progress
        "workplan.meeting.held.v1",
    ]
    assert emitted.count("workplan.item.created.v1") == 12

    again = await import_plan(plan, planner.uow())
    assert not again.changed_anything
    assert len(again.items_unchanged) == 12
    assert await outbox_types(planner) == emitted  # re-importing emits nothing


async def test_the_sample_hearings_and_meetings_are_in_the_session_zone_and_made_once(
    planner, sample_plan
):
    async with engine_of(planner).connect() as connection:
        hearings = (
            await connection.execute(
                text(
                    "SELECT h.id, i.ref, h.starts_at, h.timezone, h.status FROM planner.hearings h "
                    "JOIN planner.items i ON i.id = h.item_id ORDER BY h.starts_at"
                )
            )
        ).all()
        meetings = (
            await connection.execute(
                text(
                    "SELECT i.ref, i.status, m.organizations FROM planner.meetings m "
                    "JOIN planner.items i ON i.id = m.item_id ORDER BY m.held_at"
                )
            )
        ).all()
    assert [(h.ref, h.starts_at.isoformat(), h.timezone) for h in hearings] == [
        ("liberated-territories-awareness", "2026-02-24T07:00:00+00:00", "Asia/Baku"),
        ("eu-cooperation-council-recommendations", "2026-03-24T07:00:00+00:00", "Asia/Baku"),
        ("turkic-states-parliaments-ties", "2026-04-14T11:00:00+00:00", "Asia/Baku"),
    ]
    assert [(m.ref, m.status, m.organizations) for m in meetings] == [
        ("eu-cooperation-council-recommendations", "in_progress", ["EU-AZ-CC"]),
        ("diaspora-committee-meetings", "in_progress", ["SCWD"]),
        ("turkic-states-parliaments-ties", "in_progress", ["OTS"]),
    ]
    # a hearing moved by the committee stays where it is when the file is imported again
    async with engine_of(planner).begin() as connection:
        await connection.execute(
            text("UPDATE planner.hearings SET location = 'Hall 9' WHERE id = :id"),
            {"id": hearings[0].id},
        )
    report = await import_plan(read_plan_file(SAMPLE), planner.uow())
    assert report.hearings_created == []
    assert report.meetings_created == []
    async with engine_of(planner).connect() as connection:
        location = await connection.scalar(
            text("SELECT location FROM planner.hearings WHERE id = :id"), {"id": hearings[0].id}
        )
    assert location == "Hall 9"


def _first_hearing(raw) -> dict:
    return next(item for item in raw["items"] if item.get("hearings"))["hearings"][0]


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (
            lambda raw: _first_hearing(raw).update(starts_at="2026-06-10T11:00:00+04:00",
                                                   ends_at="2026-06-10T12:00:00+04:00"),
            "lies outside session 2026-spring (2026-02-01 to 2026-05-31, Asia/Baku)",
        ),
        (
            lambda raw: next(i for i in raw["items"] if i["ref"] == "mfa-meetings").update(
                hearings=[dict(_first_hearing(raw), ref="same-time")]
            ),
            "overlaps hearing",
        ),
    ],
    ids=["outside the session", "two hearings at one time"],
)  # fmt: skip
async def test_a_plan_whose_hearings_break_the_scheduling_rules_writes_nothing(
    planner, mutate, words
):
    raw = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    mutate(raw)
    with pytest.raises(Exception, match=re.escape(words)):
        await import_plan(PlanFile.model_validate(raw), planner.uow())
    assert await outbox_types(planner) == []


async def test_a_changed_item_is_updated_naming_what_changed(planner):
    raw = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    await import_plan(PlanFile.model_validate(raw), planner.uow())
    raw["items"][0]["owners"] = ["Committee chair", "Deputy chair"]
    report = await import_plan(PlanFile.model_validate(raw), planner.uow())
    assert report.items_updated == [raw["items"][0]["ref"]]
    async with engine_of(planner).connect() as connection:
        changed = await connection.scalar(
            text(
                "SELECT body->'data'->'changed' FROM planner.outbox "
                "WHERE type = 'workplan.item.updated.v1'"
            )
        )
    assert changed == ["owners"]


async def test_a_reimported_item_made_restricted_takes_its_hearings_and_meetings_along(planner):
    """The classification rule holds for a plan file too: reclassifying an item by
    re-importing reclassifies what hangs from it, and the events say so."""
    raw = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    await import_plan(PlanFile.model_validate(raw), planner.uow())
    [entry] = [e for e in raw["items"] if e.get("hearings") and e.get("meetings")][:1]
    entry["classification"] = "restricted"
    report = await import_plan(PlanFile.model_validate(raw), planner.uow())
    assert report.items_updated == [entry["ref"]]
    async with engine_of(planner).connect() as connection:
        rows = (
            await connection.execute(
                text(
                    "SELECT 'hearing', h.classification FROM planner.hearings h "
                    "JOIN planner.items i ON i.id = h.item_id WHERE i.ref = :ref UNION ALL "
                    "SELECT 'meeting', m.classification FROM planner.meetings m "
                    "JOIN planner.items i ON i.id = m.item_id WHERE i.ref = :ref"
                ),
                {"ref": entry["ref"]},
            )
        ).all()
    assert {kind for kind, _ in rows} == {"hearing", "meeting"}
    assert {level for _, level in rows} == {"restricted"}
    emitted = await outbox_types(planner)
    assert emitted.count("workplan.hearing.reclassified.v1") == len(entry["hearings"])
    assert emitted.count("workplan.meeting.reclassified.v1") == len(entry["meetings"])


async def test_the_azerbaijani_text_survives_the_import(planner, sample_plan):
    async with engine_of(planner).connect() as connection:
        title = await connection.scalar(
            text(
                "SELECT title->>'az' FROM planner.items WHERE ref = 'justice-for-khojaly-campaign'"
            )
        )
    assert "Xocalı" in title


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda raw: raw.pop("format"), "format: Field required"),
        (lambda raw: raw["items"][0].update(category="party"), "items.0.category"),
        (lambda raw: raw["items"].append(dict(raw["items"][0])), "item refs must be unique"),
        (lambda raw: raw["session"].update(timezone="Mars/Olympus"), "unknown time zone"),
        (lambda raw: raw["items"][0].update(colour="red"), "Extra inputs are not permitted"),
        (
            lambda raw: _first_hearing(raw).update(ends_at=_first_hearing(raw)["starts_at"]),
            "not after it starts",
        ),
        (
            lambda raw: _first_hearing(raw).update(starts_at="2026-02-24T11:00:00"),
            "hearings.0.starts_at: Value error, needs its UTC offset",
        ),
        (
            lambda raw: next(i for i in raw["items"] if i.get("meetings"))["meetings"].append(
                next(i for i in raw["items"] if i.get("meetings"))["meetings"][0]
            ),
            "hearing and meeting refs of item",
        ),
        (lambda raw: raw["session"].update(timezone="x" * 300), "unknown time zone"),
        (lambda raw: raw["session"].update(ends_on="9999-12-31"), "session.ends_on: Value error"),
        (lambda raw: raw["session"].update(starts_on="1812-01-01"), "years 1900 and 2200"),
        (
            lambda raw: raw["organizations"][0].update(identifiers={"a\x00b": "v"}),
            "organizations.0.identifiers.a\\x00b.[key]: String should match pattern",
        ),
        (
            lambda raw: raw["organizations"][0].update(identifiers={"\ud800": "v"}),
            ".[key]: Input should be a valid string, unable to parse raw data as a unicode",
        ),
        (
            lambda raw: raw["organizations"][0].update(identifiers={"Wikidata": "Q1"}),
            "Wikidata.[key]: String should match pattern '^[a-z][a-z0-9_.-]{0,39}$'",
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_message_naming_the_problem(tmp_path: Path, mutate, words):
    raw = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    mutate(raw)
    bad = tmp_path / "plan.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(typer.BadParameter) as refused:
        read_plan_file(bad)
    assert words in str(refused.value)


async def test_a_plan_with_a_bad_identifier_scheme_is_refused_by_the_command_writing_nothing(
    planner, settings, tmp_path: Path, monkeypatch
):
    raw = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    last = len(raw["organizations"]) - 1
    raw["organizations"][last]["identifiers"] = {"wikidata": "Q1", "a\x00b": "v"}
    bad = tmp_path / "plan.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("WORKPLAN_DATABASE_URL", settings.database_url.get_secret_value())
    monkeypatch.setenv("WORKPLAN_AMQP_URL", settings.amqp_url.get_secret_value())
    monkeypatch.chdir(tmp_path)  # no .env of the working tree
    monkeypatch.setenv("COLUMNS", "1000")  # the message on one line
    command = typer.Typer()
    command.command()(import_command)

    result = CliRunner().invoke(command, [str(bad)])

    assert result.exit_code == 2, result.output
    assert (
        f"not a valid work plan: organizations.{last}.identifiers.a\\x00b.[key]: " in result.output
    )
    async with engine_of(planner).connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM planner.organizations")) == 0
    assert await outbox_types(planner) == []


async def test_items_naming_an_unknown_organisation_are_refused_and_nothing_is_written(planner):
    raw = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    raw["items"][0]["organizations"] = ["NOWHERE"]
    with pytest.raises(Exception, match="NOWHERE"):
        await import_plan(PlanFile.model_validate(raw), planner.uow())
    assert await outbox_types(planner) == []
