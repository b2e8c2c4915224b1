"""Handlers of hearing commands: schedule, reschedule, cancel, mark held."""

from __future__ import annotations

from datetime import UTC, datetime

from services.planner.domain.errors import Conflict, NotFound
from services.planner.domain.hearings import Hearing
from services.planner.domain.sessions import Session, local_time
from services.planner.handlers.commands import (
    CancelHearing,
    MarkHearingHeld,
    RescheduleHearing,
    ScheduleHearing,
)
from services.planner.handlers.lookups import (
    hearing_for_update,
    item_for_update,
    require_known_organizations,
)
from services.planner.handlers.ports import UnitOfWork
from shared.contract.classification import may_see


async def schedule_hearing(command: ScheduleHearing, uow: UnitOfWork) -> Hearing:
    async with uow:
        item = await item_for_update(uow, command.item_id, cleared=command.cleared)
        if item.status in ("completed", "cancelled"):
            raise Conflict(f"item {item.id} is {item.status}; no hearing can be scheduled for it")
        organizations = (
            command.organizations if command.organizations is not None else item.organizations
        )
        await require_known_organizations(uow, organizations)
        session = await _session_of(uow, item.committee, item.session)
        session.check_contains(command.starts_at, command.ends_at)
        window = (command.starts_at, command.ends_at)
        await check_calendar(
            uow, item.committee, window, None, command.allow_overlap, cleared=command.cleared
        )
        hearing = Hearing.schedule(
            item_id=item.id,
            committee=item.committee,
            session=item.session,
            timezone=session.timezone,
            classification=item.classification,
            title=command.title or item.title,
            starts_at=command.starts_at,
            ends_at=command.ends_at,
            location=command.location,
            format=command.format,
            invitees=command.invitees,
            witnesses=command.witnesses,
            organizations=organizations,
        )
        uow.hearings.add(hearing)
        await uow.commit()
    return hearing


async def reschedule_hearing(command: RescheduleHearing, uow: UnitOfWork) -> Hearing:
    async with uow:
        hearing = await hearing_for_update(uow, command.hearing_id, cleared=command.cleared)
        session = await _session_of(uow, hearing.committee, hearing.session)
        session.check_contains(command.starts_at, command.ends_at)
        window = (command.starts_at, command.ends_at)
        await check_calendar(
            uow, hearing.committee, window, hearing, command.allow_overlap, cleared=command.cleared
        )
        hearing.reschedule(
            command.starts_at, command.ends_at, location=command.location, reason=command.reason
        )
        await uow.commit()
    return hearing


async def cancel_hearing(command: CancelHearing, uow: UnitOfWork) -> Hearing:
    async with uow:
        hearing = await hearing_for_update(uow, command.hearing_id, cleared=command.cleared)
        hearing.cancel(command.reason)
        await uow.commit()
    return hearing


async def mark_hearing_held(command: MarkHearingHeld, uow: UnitOfWork) -> Hearing:
    async with uow:
        hearing = await hearing_for_update(uow, command.hearing_id, cleared=command.cleared)
        hearing.mark_held(command.held_at or datetime.now(UTC), command.summary)
        item = await uow.items.get(hearing.item_id, for_update=True)
        if item is not None:
            item.note_activity(f"hearing {hearing.id} held")
        await uow.commit()
    return hearing


async def _session_of(uow: UnitOfWork, committee: str, code: str) -> Session:
    session = await uow.plans.session(committee, code)
    if session is None:
        raise NotFound(f"committee {committee!r} has no session {code!r}")
    return session


async def check_calendar(
    uow: UnitOfWork,
    committee: str,
    window: tuple[datetime, datetime],
    moving: Hearing | None,
    allow_overlap: bool,
    *,
    cleared: bool,
) -> None:
    """Refuse a hearing that overlaps another of the committee, unless explicitly allowed.

    The other hearing is named only to a caller who may see it: to anyone else a
    restricted one is "another hearing", without its id or times.

    The committee's calendar is locked only for the check: a hearing allowed to overlap
    checks nothing, so it waits for no other (an overlap it makes is the one it allows).
    """
    if allow_overlap:
        return
    starts_at, ends_at = window
    await uow.hearings.lock_calendar(committee)
    clashes = await uow.hearings.overlapping(
        committee, starts_at, ends_at, moving.id if moving else None
    )
    if clashes:
        named = [other for other in clashes if may_see(other.classification, cleared=cleared)]
        if not named:
            raise Conflict(
                f"the hearing overlaps another hearing of committee {committee}; "
                "set allow_overlap to schedule it anyway"
            )
        other = named[0]
        when = (
            f"{local_time(other.starts_at, other.timezone)} to "
            f"{local_time(other.ends_at, other.timezone)}"
        )
        raise Conflict(
            f"the hearing overlaps hearing {other.id} ({when}) of committee {committee}; "
            "set allow_overlap to schedule it anyway"
        )
