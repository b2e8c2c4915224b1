"""Handlers of item commands."""

from __future__ import annotations

from dataclasses import asdict

from services.planner.domain.errors import Conflict, NotFound
from services.planner.domain.items import Item
from services.planner.domain.sessions import WorkPlan
from services.planner.handlers.classification import reclassify_activities
from services.planner.handlers.commands import ChangeItemStatus, CreateItem, UpdateItem
from services.planner.handlers.lookups import item_for_update, require_known_organizations
from services.planner.handlers.ports import UnitOfWork
from services.planner.handlers.retries import retried


@retried
async def create_item(command: CreateItem, uow: UnitOfWork) -> Item:
    async with uow:
        plan = await _work_plan(uow, command.committee, command.session)
        await require_known_organizations(uow, command.organizations)
        if command.ref and await uow.items.by_ref(plan.id, command.ref):
            raise Conflict(f"the work plan already has an item with ref {command.ref!r}")
        item = Item.create(work_plan_id=plan.id, **asdict(command))
        uow.items.add(item)
        await uow.commit()
    return item


@retried
async def update_item(command: UpdateItem, uow: UnitOfWork) -> Item:
    async with uow:
        # locked: a reclassification must reach every hearing and meeting the item has
        item = await item_for_update(uow, command.item_id, cleared=command.cleared, lock=True)
        if "organizations" in command.changes:
            await require_known_organizations(uow, command.changes["organizations"])
        changed = item.update(command.changes)
        if "classification" in changed:
            await reclassify_activities(uow, item)
        await uow.commit()
    return item


@retried
async def change_item_status(command: ChangeItemStatus, uow: UnitOfWork) -> Item:
    async with uow:
        item = await item_for_update(uow, command.item_id, cleared=command.cleared)
        item.change_status(command.status, command.reason)
        await uow.commit()
    return item


async def _work_plan(uow: UnitOfWork, committee: str, session: str) -> WorkPlan:
    """The committee's plan for the session, opened on first use."""
    if await uow.plans.session(committee, session) is None:
        raise NotFound(f"committee {committee!r} has no session {session!r}")
    plan = await uow.plans.work_plan(committee, session)
    if plan is None:
        plan = WorkPlan(committee_code=committee, session_code=session)
        uow.plans.add(plan)
    return plan
