"""Handlers of meetings: recorded by staff, or reported by a registered external system.

Either way the meeting is linked to the item it names, or else to the open item of its
first counterpart that has one during whose session it was held, and a planned item moves
to in progress. A meeting cannot be held in the future, nor outside its item's session. A
meeting is at least as restricted as its item. An external system sees no restricted item:
its report is never linked to one (it is recorded unlinked, with the reason).
"""

from __future__ import annotations

from datetime import UTC, datetime

from services.planner.domain.errors import RuleViolation
from services.planner.domain.items import Item
from services.planner.domain.meetings import Meeting
from services.planner.domain.sessions import check_not_in_future
from services.planner.handlers.commands import RecordMeeting
from services.planner.handlers.lookups import item_for_update, require_known_organizations
from services.planner.handlers.ports import UnitOfWork
from shared.contract import CloudEvent, InvalidEvent
from shared.contract.classification import effective_classification, may_see
from shared.contract.meetings import MeetingHeld
from shared.messaging.outcome import Outcome


async def record_meeting(command: RecordMeeting, uow: UnitOfWork, *, source: str) -> Meeting:
    async with uow:
        await require_known_organizations(uow, command.organizations)
        item = (
            await item_for_update(uow, command.item_id, cleared=command.cleared)
            if command.item_id
            else await _open_item_of(
                uow, command.organizations, cleared=command.cleared, held_at=command.held_at
            )
        )
        await _check_held(uow, item, command.held_at, "the meeting")
        meeting = Meeting.record(
            source=source,
            organizations=command.organizations,
            held_at=command.held_at,
            item_id=item.id if item else None,
            committee=item.committee if item else None,
            session=item.session if item else None,
            title=command.title,
            location=command.location,
            participants=command.participants,
            summary=command.summary,
            outcomes=command.outcomes,
            reported_by=command.reported_by,
            declared_classification=command.classification,
            item_classification=item.classification if item else None,
        )
        uow.meetings.add(meeting)
        if item is not None:
            item.note_activity(f"meeting {meeting.id} held")
        await uow.commit()
    return meeting


async def apply_reported_meeting(event: CloudEvent, data: MeetingHeld, uow: UnitOfWork) -> Outcome:
    """Record a meeting another system reported; a repeat or an older version changes nothing."""
    async with uow:
        if await uow.seen_before(event):
            return "duplicate"
        unknown = await uow.organizations.unknown(data.organizations)
        if unknown:
            raise InvalidEvent(
                f"meeting {data.meeting_id} names unknown organisation(s): {', '.join(unknown)}",
                code="unknown_organization",
            )
        item, unlinked_reason = await _linked_item(uow, data)
        try:
            await _check_held(uow, item, data.held_at, f"meeting {data.meeting_id}")
        except RuleViolation as exc:
            raise InvalidEvent(str(exc), code="implausible_time") from exc
        existing = await uow.meetings.reported(event.source, data.meeting_id)
        sequence = event.sequence_number or 1
        if existing is not None:
            outcome: Outcome = "stale" if sequence <= existing.version else "applied"
            if outcome == "applied":
                await _revise(uow, existing, data, sequence)
            await uow.commit()
            return outcome
        meeting = Meeting.reported(
            source=event.source,
            sequence=sequence,
            external_id=data.meeting_id,
            **_reported_fields(data),
            item_id=item.id if item else None,
            committee=item.committee if item else data.committee,
            session=item.session if item else data.session,
            item_classification=item.classification if item else None,
            unlinked_reason=unlinked_reason,
        )
        uow.meetings.add(meeting)
        if item is not None:
            item.note_activity(f"meeting {data.meeting_id} reported by {event.source}")
        await uow.commit()
    return "applied"


UNSEEN_ITEM = "not linked: the item the report names is not one its source may see"


async def _linked_item(uow: UnitOfWork, data: MeetingHeld) -> tuple[Item | None, str | None]:
    """The item to link a reported meeting to, or why it stays unlinked."""
    if data.item_id is None:  # an external system sees no restricted item
        found = await _open_item_of(uow, data.organizations, cleared=False, held_at=data.held_at)
        return found, None
    item = await uow.items.get(data.item_id, for_update=True)
    if item is None:
        raise InvalidEvent(
            f"meeting {data.meeting_id} names item {data.item_id}, which does not exist",
            code="unknown_item",
        )
    if not may_see(item.classification, cleared=False):
        return None, UNSEEN_ITEM
    return item, None


async def _open_item_of(
    uow: UnitOfWork, organizations: list[str], *, cleared: bool, held_at: datetime
) -> Item | None:
    for code in organizations:
        for candidate in await uow.items.open_for_organization(code, include_restricted=cleared):
            session = await uow.plans.session(candidate.committee, candidate.session)
            if session is not None and session.holds(held_at):
                return candidate
    return None


async def _check_held(uow: UnitOfWork, item: Item | None, held_at: datetime, what: str) -> None:
    """Held already, and (for an item's meeting) during the item's session; the reason is
    told in the session's time zone."""
    session = await uow.plans.session(item.committee, item.session) if item else None
    check_not_in_future(held_at, datetime.now(UTC), what, session.timezone if session else "UTC")
    if session is not None:
        session.check_held_within(held_at, what)


def _reported_fields(data: MeetingHeld) -> dict[str, object]:
    return {
        "organizations": list(data.organizations),
        "held_at": data.held_at.astimezone(UTC),
        "title": dict(data.title),
        "location": data.location,
        "participants": list(data.participants),
        "summary": dict(data.summary),
        "outcomes": [dict(outcome) for outcome in data.outcomes],
        "reported_by": data.reported_by,
        "declared_classification": data.classification,
    }


async def _revise(uow: UnitOfWork, meeting: Meeting, data: MeetingHeld, sequence: int) -> None:
    for name, value in _reported_fields(data).items():
        setattr(meeting, name, value)
    item = await uow.items.get(meeting.item_id) if meeting.item_id else None
    meeting.classification = effective_classification(
        meeting.declared_classification, item.classification if item else None
    )
    meeting.version = sequence
