"""Import a work-plan file idempotently: re-importing the same file changes and emits nothing.

Organisations, the committee and the session are created or brought up to date; items
are matched by ``ref``: new ones are created (``item.created``), changed ones updated
(``item.updated`` naming the changed fields). An item's status is set only when it is
created: afterwards it moves with the committee's work, not with the file. The same holds
for an item's hearings and meetings (:mod:`plan_import_calendar`): each is created once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from services.planner.domain.errors import RuleViolation
from services.planner.domain.hearings import Hearing
from services.planner.domain.items import Item
from services.planner.domain.organizations import Organization
from services.planner.domain.sessions import Committee, Session, WorkPlan
from services.planner.handlers.classification import reclassify_activities
from services.planner.handlers.plan_file import ItemEntry, OrganizationEntry, PlanFile
from services.planner.handlers.plan_import_calendar import import_hearings, import_meetings
from services.planner.handlers.ports import UnitOfWork
from services.planner.handlers.retries import retried


@dataclass
class ImportReport:
    organizations_created: list[str] = field(default_factory=list)
    organizations_updated: list[str] = field(default_factory=list)
    items_created: list[str] = field(default_factory=list)
    items_updated: list[str] = field(default_factory=list)
    items_unchanged: list[str] = field(default_factory=list)
    hearings_created: list[Hearing] = field(default_factory=list)
    meetings_created: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.organizations_created
            or self.organizations_updated
            or self.items_created
            or self.items_updated
            or self.hearings_created
            or self.meetings_created
        )


@retried
async def import_plan(plan: PlanFile, uow: UnitOfWork) -> ImportReport:
    report = ImportReport()
    async with uow:
        for entry in plan.organizations:
            await _upsert_organization(uow, entry, report)
        await _require_known(uow, plan)
        work_plan, session = await _upsert_committee_and_session(uow, plan)
        for item_entry in plan.items:
            item = await _upsert_item(uow, work_plan, item_entry, report)
            await import_hearings(uow, session, item, item_entry, report.hearings_created)
            await import_meetings(uow, item, item_entry, report.meetings_created)
        await uow.commit()
    return report


async def _require_known(uow: UnitOfWork, plan: PlanFile) -> None:
    named = sorted(plan.named_organization_codes() - plan.organization_codes())
    unknown = await uow.organizations.unknown(named)
    if unknown:
        raise RuleViolation(
            f"items name organisation(s) neither in the file nor registered: {', '.join(unknown)}"
        )


async def _upsert_organization(
    uow: UnitOfWork, entry: OrganizationEntry, report: ImportReport
) -> None:
    wanted = Organization(**entry.model_dump())
    existing = await uow.organizations.get(entry.code)
    if existing is None:
        uow.organizations.add(wanted)
        report.organizations_created.append(entry.code)
    elif not existing.matches(wanted):
        existing.name, existing.classification = wanted.name, wanted.classification
        existing.abbreviation, existing.identifiers = wanted.abbreviation, wanted.identifiers
        report.organizations_updated.append(entry.code)


async def _upsert_committee_and_session(
    uow: UnitOfWork, plan: PlanFile
) -> tuple[WorkPlan, Session]:
    committee_entry, session_entry = plan.committee, plan.session
    committee = await uow.plans.committee(committee_entry.code)
    if committee is None:
        uow.plans.add(Committee(**committee_entry.model_dump()))
    else:
        committee.name, committee.parliament = committee_entry.name, committee_entry.parliament
    fields = session_entry.model_dump()
    session = await uow.plans.session(committee_entry.code, session_entry.code)
    if session is None:
        session = Session(committee_code=committee_entry.code, **fields)
        uow.plans.add(session)
    else:
        for name, value in fields.items():
            if getattr(session, name) != value:
                setattr(session, name, value)
    work_plan = await uow.plans.work_plan(committee_entry.code, session_entry.code)
    if work_plan is None:
        work_plan = WorkPlan(committee_code=committee_entry.code, session_code=session_entry.code)
        uow.plans.add(work_plan)
    return work_plan, session


async def _upsert_item(
    uow: UnitOfWork, work_plan: WorkPlan, entry: ItemEntry, report: ImportReport
) -> Item:
    fields = {
        "title": dict(entry.title),
        "description": dict(entry.description),
        "category": entry.category,
        "organizations": list(entry.organizations),
        "owners": list(entry.owners),
        "period_start": entry.period.start,
        "period_end": entry.period.end,
        "classification": entry.classification,
        "tags": list(entry.tags),
    }
    item = await uow.items.by_ref(work_plan.id, entry.ref)
    if item is not None and item.classification != entry.classification:
        # locked: its hearings and meetings follow the new classification (the rule)
        item = await uow.items.get(item.id, for_update=True) or item
    if item is None:
        item = Item.create(
            work_plan_id=work_plan.id,
            committee=work_plan.committee_code,
            session=work_plan.session_code,
            ref=entry.ref,
            status=entry.status,
            **fields,
        )
        uow.items.add(item)
        report.items_created.append(entry.ref)
    elif changed := item.update(fields):
        if "classification" in changed:
            await reclassify_activities(uow, item)
        report.items_updated.append(entry.ref)
    else:
        report.items_unchanged.append(entry.ref)
    return item
