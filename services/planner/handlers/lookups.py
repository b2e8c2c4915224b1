"""Loading what a command names, with the errors a clerk expects when it is not there."""

from __future__ import annotations

import uuid
from typing import Protocol, TypeVar

from services.planner.domain.errors import NotFound, RuleViolation
from services.planner.domain.hearings import Hearing
from services.planner.domain.items import Item
from services.planner.handlers.ports import UnitOfWork


class Classified(Protocol):
    @property
    def classification(self) -> str: ...


T = TypeVar("T", bound=Classified)


def visible(found: T | None, *, cleared: bool, what: str) -> T:
    """The thing, unless it is missing or restricted from this caller: then the same 404."""
    if found is None or (found.classification == "restricted" and not cleared):
        raise NotFound(f"no {what}")
    return found


async def item_for_update(
    uow: UnitOfWork, item_id: uuid.UUID, *, cleared: bool, lock: bool = False
) -> Item:
    """The item a command changes or relies on: the commit checks it is unchanged. ``lock``
    locks it now, for a rule that reads more that must not change meanwhile (its hearings
    and meetings when it is reclassified)."""
    item = await uow.items.get(item_id, for_update=lock)
    return visible(item, cleared=cleared, what=f"item {item_id}")


async def hearing_for_update(uow: UnitOfWork, hearing_id: uuid.UUID, *, cleared: bool) -> Hearing:
    """The hearing a command changes: the commit checks it is unchanged."""
    hearing = await uow.hearings.get(hearing_id)
    return visible(hearing, cleared=cleared, what=f"hearing {hearing_id}")


async def require_known_organizations(uow: UnitOfWork, codes: list[str]) -> None:
    unknown = await uow.organizations.unknown(codes)
    if unknown:
        raise RuleViolation(f"unknown organisation(s): {', '.join(unknown)}")
