"""A work plan at a glance: what a staff front end shows above the list of items."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.planner.entrypoints.api.dependencies import PlannerDep, Reader, cleared
from services.planner.entrypoints.api.schemas import WorkPlanSummaryOut
from services.planner.handlers import queries
from services.planner.handlers.ports import ItemFilter
from shared.contract.values import (
    NO_NUL,
    CommitteeCode,
    ItemCategory,
    ItemStatus,
    OrganizationCode,
    SessionCode,
    ShortText,
)

router = APIRouter(prefix="/api/v1/work-plans", tags=["items"])


@router.get(
    "/{committee}/{session}/summary",
    response_model=WorkPlanSummaryOut,
    responses={404: {"description": "No work plan of that committee and session"}},
)
async def work_plan_summary(
    committee: CommitteeCode,
    session: SessionCode,
    planner: PlannerDep,
    principal: Reader,
    status: ItemStatus | None = None,
    category: ItemCategory | None = None,
    organization: OrganizationCode | None = None,
    owner: ShortText | None = None,
    q: Annotated[str | None, Query(min_length=1, max_length=200, pattern=NO_NUL)] = None,
) -> WorkPlanSummaryOut:
    """Items per status, and the people and organisations the items name (for filters);
    restricted items count only for cleared callers. The filters are those of
    ``GET /api/v1/items``: the summary then describes the items that match."""
    where = ItemFilter(
        committee=committee, session=session, status=status, category=category,
        organization=organization, owner=owner, text=q, include_restricted=cleared(principal),
    )  # fmt: skip
    summary = await queries.work_plan_summary(planner.uow(), where)
    return WorkPlanSummaryOut(
        committee=committee,
        session=session,
        total=summary.total,
        statuses=summary.statuses,
        owners=summary.owners,
        organizations=summary.organizations,
    )
