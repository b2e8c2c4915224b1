"""The hearings and meetings a work-plan file lists under an item, imported once.

Each gets an id derived from the committee, session, item ref and its own ref, so a
re-import finds it and leaves it alone: after its first import a hearing moves with the
committee's work (rescheduled, held, cancelled), not with the file. A new hearing obeys the
rules of scheduling one through the API (inside the session, no overlap with another
hearing of the committee, an item still open; organisations are checked for the whole file
before); a new meeting moves a planned item to in progress, as a recorded meeting does.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from services.planner.domain.errors import Conflict
from services.planner.domain.hearings import Hearing
from services.planner.domain.items import Item
from services.planner.domain.meetings import Meeting
from services.planner.domain.sessions import Session
from services.planner.handlers.hearings import check_calendar
from services.planner.handlers.plan_file import ItemEntry
from services.planner.handlers.ports import UnitOfWork


def plan_uuid(item: Item, kind: str, ref: str) -> uuid.UUID:
    """The stable id of a hearing or meeting of a plan file."""
    return uuid.uuid5(
        uuid.NAMESPACE_URL,
        f"workplan:plan/{item.committee}/{item.session}/{item.ref}/{kind}/{ref}",
    )


async def import_hearings(
    uow: UnitOfWork, session: Session, item: Item, entry: ItemEntry, created: list[Hearing]
) -> None:
    """Schedule the entry's hearings not imported before; ``created`` holds those of this
    import so far (not yet in the database), so that they are checked for overlap too."""
    for hearing_entry in entry.hearings:
        hearing_id = plan_uuid(item, "hearing", hearing_entry.ref)
        if await uow.hearings.get(hearing_id) is not None:
            continue
        if item.status in ("completed", "cancelled"):
            raise Conflict(
                f"item {item.ref} is {item.status}; hearing {hearing_entry.ref} cannot be scheduled"
            )
        organizations = (
            hearing_entry.organizations
            if hearing_entry.organizations is not None
            else item.organizations
        )
        session.check_contains(hearing_entry.starts_at, hearing_entry.ends_at)
        window = (hearing_entry.starts_at, hearing_entry.ends_at)
        await check_calendar(uow, item.committee, window, None, allow_overlap=False, cleared=True)
        _check_among(created, item.committee, window, hearing_entry.ref)
        hearing = Hearing.schedule(
            id=hearing_id,
            item_id=item.id,
            committee=item.committee,
            session=item.session,
            timezone=session.timezone,
            classification=item.classification,
            title=dict(hearing_entry.title or item.title),
            starts_at=hearing_entry.starts_at,
            ends_at=hearing_entry.ends_at,
            location=hearing_entry.location,
            format=hearing_entry.format,
            invitees=list(hearing_entry.invitees),
            witnesses=list(hearing_entry.witnesses),
            organizations=list(organizations),
        )
        uow.hearings.add(hearing)
        created.append(hearing)


def _check_among(
    scheduled: list[Hearing], committee: str, window: tuple[datetime, datetime], ref: str
) -> None:
    starts_at, ends_at = window
    for other in scheduled:
        if other.committee == committee and other.starts_at < ends_at and other.ends_at > starts_at:
            raise Conflict(
                f"hearing {ref} overlaps hearing {other.id} ({other.starts_at.isoformat()} to "
                f"{other.ends_at.isoformat()}) of the same file"
            )


async def import_meetings(
    uow: UnitOfWork, item: Item, entry: ItemEntry, created: list[str]
) -> None:
    for meeting_entry in entry.meetings:
        meeting_id = plan_uuid(item, "meeting", meeting_entry.ref)
        if await uow.meetings.get(meeting_id) is not None:
            continue
        meeting = Meeting.record(
            source=uow.source,
            meeting_id=meeting_id,
            organizations=list(meeting_entry.organizations),
            held_at=meeting_entry.held_at,
            item_id=item.id,
            committee=item.committee,
            session=item.session,
            title=dict(meeting_entry.title),
            location=meeting_entry.location,
            participants=list(meeting_entry.participants),
            summary=dict(meeting_entry.summary),
            outcomes=[dict(outcome) for outcome in meeting_entry.outcomes],
            reported_by=meeting_entry.reported_by,
            declared_classification=meeting_entry.classification,
            item_classification=item.classification,
        )
        uow.meetings.add(meeting)
        item.note_activity(f"meeting {meeting.id} held")
        created.append(f"{item.ref}/{meeting_entry.ref}")
