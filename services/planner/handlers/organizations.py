"""Handlers of organisation commands."""

from __future__ import annotations

from services.planner.domain.errors import Conflict
from services.planner.domain.organizations import Organization
from services.planner.handlers.commands import RegisterOrganization
from services.planner.handlers.ports import UnitOfWork
from services.planner.handlers.retries import retried


@retried
async def register_organization(command: RegisterOrganization, uow: UnitOfWork) -> Organization:
    async with uow:
        if await uow.organizations.get(command.code) is not None:
            raise Conflict(f"organisation {command.code} is already registered")
        organization = Organization(
            code=command.code,
            name=command.name,
            classification=command.classification,
            abbreviation=command.abbreviation,
            identifiers=command.identifiers,
        )
        uow.organizations.add(organization)
        await uow.commit()
    return organization
