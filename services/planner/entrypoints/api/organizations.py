"""Routes of counterpart organisations."""

from __future__ import annotations

from fastapi import APIRouter, status

from services.planner.entrypoints.api.dependencies import PlannerDep, Reader, Writer
from services.planner.entrypoints.api.schemas import OrganizationIn, OrganizationOut
from services.planner.handlers import organizations, queries
from services.planner.handlers.commands import RegisterOrganization
from shared.contract.values import OrganizationCode
from shared.runtime.json_lists import JsonOnly

router = APIRouter(prefix="/api/v1/organizations", tags=["organizations"])


@router.get("", response_model=list[OrganizationOut])
async def list_organizations(
    planner: PlannerDep, _: Reader, _format: JsonOnly = None
) -> list[OrganizationOut]:
    found = await queries.list_organizations(planner.uow())
    return [OrganizationOut.model_validate(organization) for organization in found]


@router.get("/{code}", response_model=OrganizationOut, responses={404: {"description": "None"}})
async def get_organization(
    code: OrganizationCode, planner: PlannerDep, _: Reader
) -> OrganizationOut:
    return OrganizationOut.model_validate(await queries.get_organization(planner.uow(), code))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=OrganizationOut,
    responses={409: {"description": "Already registered"}},
)
async def register_organization(
    body: OrganizationIn, planner: PlannerDep, _: Writer
) -> OrganizationOut:
    command = RegisterOrganization(**body.model_dump())
    organization = await organizations.register_organization(command, planner.uow())
    return OrganizationOut.model_validate(organization)
