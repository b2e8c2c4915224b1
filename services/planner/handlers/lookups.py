"""Loading what a command names, with the errors a clerk expects when it is not there."""

from __future__ import annotations

import uuid

from services.planner.domain.errors import NotFound, RuleViolation
from services.planner.domain.hearings import Hearing
from services.planner.domain.items import Item
from services.planner.handlers.ports import UnitOfWork


async def item_for_update(uow: UnitOfWork, item_id: uuid.UUID, *, cleared: bool) -> Item:
    item = await uow.items.get(item_id, for_update=True)
    if item is None or (item.classification == "restricted" and not cleared):
        raise NotFound(f"no item {item_id}")
    return item


async def hearing_for_update(uow: UnitOfWork, hearing_id: uuid.UUID, *, cleared: bool) -> Hearing:
    hearing = await uow.hearings.get(hearing_id, for_update=True)
    if hearing is None or (hearing.classification == "restricted" and not cleared):
        raise NotFound(f"no hearing {hearing_id}")
    return hearing


async def require_known_organizations(uow: UnitOfWork, codes: list[str]) -> None:
    unknown = await uow.organizations.unknown(codes)
    if unknown:
        raise RuleViolation(f"unknown organisation(s): {', '.join(unknown)}")
