"""Importing a work-plan file: idempotent, and precise about what is wrong with a bad file."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
import yaml
from sqlalchemy import text

from services.planner.entrypoints.cli import read_plan_file
from services.planner.handlers.plan_file import PlanFile
from services.planner.handlers.plan_import import import_plan
from tests.planner.conftest import SAMPLE


async def outbox_types(planner) -> list[str]:
    async with planner.engine.connect() as connection:
        rows = await connection.execute(text("SELECT type FROM planner.outbox ORDER BY position"))
        return [row[0] for row in rows]


async def test_the_sample_plan_imports_every_item_and_organisation_once(planner):
    plan = read_plan_file(SAMPLE)
    first = await import_plan(plan, planner.uow())
    assert len(first.items_created) == 12
    assert len(first.organizations_created) == 17
    assert await outbox_types(planner) == ["workplan.item.created.v1"] * 12

    again = await import_plan(plan, planner.uow())
    assert not again.changed_anything
    assert len(again.items_unchanged) == 12
    assert len(await outbox_types(planner)) == 12  # re-importing emits nothing


async def test_a_changed_item_is_updated_naming_what_changed(planner):
    raw = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    await import_plan(PlanFile.model_validate(raw), planner.uow())
    raw["items"][0]["owners"] = ["Committee chair", "Deputy chair"]
    report = await import_plan(PlanFile.model_validate(raw), planner.uow())
    assert report.items_updated == [raw["items"][0]["ref"]]
    async with planner.engine.connect() as connection:
        changed = await connection.scalar(
            text(
                "SELECT body->'data'->'changed' FROM planner.outbox "
                "WHERE type = 'workplan.item.updated.v1'"
            )
        )
    assert changed == ["owners"]


async def test_the_azerbaijani_text_survives_the_import(planner, sample_plan):
    async with planner.engine.connect() as connection:
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


async def test_items_naming_an_unknown_organisation_are_refused_and_nothing_is_written(planner):
    raw = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    raw["items"][0]["organizations"] = ["NOWHERE"]
    with pytest.raises(Exception, match="NOWHERE"):
        await import_plan(PlanFile.model_validate(raw), planner.uow())
    assert await outbox_types(planner) == []
