"""Routes of work-plan items."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status

from services.planner.entrypoints.api.access_audit import audit
from services.planner.entrypoints.api.dependencies import (
    PageDep,
    PlannerDep,
    Reader,
    Writer,
    cleared,
    count_total,
    listed,
)
from services.planner.entrypoints.api.schemas import (
    HearingIn,
    HearingOut,
    ItemDetailOut,
    ItemIn,
    ItemOut,
    ItemPatch,
    StatusChangeIn,
)
from services.planner.handlers import hearings, items, queries
from services.planner.handlers.commands import (
    ChangeItemStatus,
    CreateItem,
    ScheduleHearing,
    UpdateItem,
)
from services.planner.handlers.ports import ItemFilter
from shared.contract.values import NO_NUL, ItemCategory, ItemStatus, OrganizationCode, ShortText

router = APIRouter(prefix="/api/v1/items", tags=["items"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such item (or it is restricted)"}
}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ItemOut,
    responses={
        404: {"description": "The committee has no such session"},
        409: {"description": "The work plan already has an item with this ref"},
    },
)
async def create_item(body: ItemIn, planner: PlannerDep, _: Writer) -> ItemOut:
    """Add an item to the committee's work plan for the session (`item.created`)."""
    item = await items.create_item(CreateItem(**body.model_dump()), planner.uow())
    return ItemOut.model_validate(item)


@router.get(
    "", response_model=list[ItemOut], responses=listed("By committee, session and reference")
)
async def list_items(
    request: Request,
    response: Response,
    planner: PlannerDep,
    principal: Reader,
    page: PageDep,
    committee: str | None = None,
    session: str | None = None,
    status: ItemStatus | None = None,
    category: ItemCategory | None = None,
    organization: Annotated[OrganizationCode | None, Query()] = None,
    owner: Annotated[
        ShortText | None, Query(description="Items this person is responsible for.")
    ] = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            pattern=NO_NUL,
            description="Words in the title, description, ref, tags or owners (case and "
            "Azerbaijani letters folded: xocali finds Xocalı).",
        ),
    ] = None,
) -> list[ItemOut]:
    where = ItemFilter(
        committee=committee,
        session=session,
        status=status,
        category=category,
        organization=organization,
        owner=owner,
        text=q,
        include_restricted=cleared(principal),
    )
    found = await queries.list_items(planner.uow(), where, page)
    count_total(response, found.total)
    return audit(request, principal, [ItemOut.model_validate(item) for item in found.rows])


@router.get("/{item_id}", response_model=ItemDetailOut, responses=ERRORS)
async def get_item(
    request: Request, item_id: uuid.UUID, planner: PlannerDep, principal: Reader
) -> ItemDetailOut:
    """The item with its hearings and meetings."""
    detail = await queries.item_detail(planner.uow(), item_id, cleared=cleared(principal))
    shown = ItemDetailOut.model_validate(
        {
            **ItemOut.model_validate(detail.item).model_dump(),
            "hearings": detail.hearings,
            "meetings": detail.meetings,
        }
    )
    return audit(request, principal, shown)


@router.patch("/{item_id}", response_model=ItemOut, responses=ERRORS)
async def update_item(
    request: Request, item_id: uuid.UUID, body: ItemPatch, planner: PlannerDep, principal: Writer
) -> ItemOut:
    """Change text, counterparts, owners, period, classification or tags (`item.updated`).

    Reclassifying an item reclassifies its hearings and meetings (the classification rule).
    """
    command = UpdateItem(item_id, body.changes(), cleared=cleared(principal))
    item = ItemOut.model_validate(await items.update_item(command, planner.uow()))
    return audit(request, principal, item)


@router.post(
    "/{item_id}/status",
    response_model=ItemOut,
    responses={**ERRORS, 409: {"description": "Transition not allowed from the current status"}},
)
async def change_status(
    request: Request,
    item_id: uuid.UUID,
    body: StatusChangeIn,
    planner: PlannerDep,
    principal: Writer,
) -> ItemOut:
    """planned → in_progress → completed, or deferred / cancelled (`item.status_changed`)."""
    command = ChangeItemStatus(item_id, body.status, body.reason, cleared=cleared(principal))
    item = ItemOut.model_validate(await items.change_item_status(command, planner.uow()))
    return audit(request, principal, item)


@router.post(
    "/{item_id}/hearings",
    status_code=status.HTTP_201_CREATED,
    response_model=HearingOut,
    responses={
        **ERRORS,
        409: {"description": "Overlaps another hearing of the committee"},
        422: {"description": "Outside the session, ends before it starts, unknown organisation"},
    },
)
async def schedule_hearing(
    request: Request, item_id: uuid.UUID, body: HearingIn, planner: PlannerDep, principal: Writer
) -> HearingOut:
    """Schedule a hearing of the item (`hearing.scheduled`)."""
    command = ScheduleHearing(item_id=item_id, **dict(body), cleared=cleared(principal))
    hearing = HearingOut.model_validate(await hearings.schedule_hearing(command, planner.uow()))
    return audit(request, principal, hearing)
