"""The planner's rules as a clerk knows them, checked on the pure domain model (no database)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from services.planner.domain.errors import Conflict, RuleViolation
from services.planner.domain.hearings import Hearing
from services.planner.domain.items import Item
from services.planner.domain.sessions import Session
from shared.contract.hearings import (
    HearingCancelled,
    HearingHeld,
    HearingRescheduled,
    HearingScheduled,
)
from shared.contract.items import ItemCreated, ItemStatusChanged, ItemUpdated
from shared.contract.values import ItemStatus

BAKU = timezone(timedelta(hours=4))
STATUSES: list[ItemStatus] = ["planned", "in_progress", "completed", "deferred", "cancelled"]
# The lifecycle a clerk expects, written out independently of the code's own table.
ALLOWED = {
    ("planned", "in_progress"),
    ("planned", "completed"),
    ("planned", "deferred"),
    ("planned", "cancelled"),
    ("in_progress", "completed"),
    ("in_progress", "deferred"),
    ("in_progress", "cancelled"),
    ("deferred", "planned"),
    ("deferred", "in_progress"),
    ("deferred", "cancelled"),
}


def new_item(**overrides: Any) -> Item:
    fields: dict[str, Any] = {
        "work_plan_id": uuid.uuid4(),
        "committee": "MM-IRIPT",
        "session": "2026-spring",
        "ref": "pace-april-part-session",
        "title": {"az": "AŞPA-nın aprel sessiyası", "en": "PACE April part-session"},
        "category": "delegation_support",
        "organizations": ["PACE"],
        "owners": ["Head of the delegation to PACE"],
        "period_start": date(2026, 4, 20),
        "period_end": date(2026, 4, 24),
        "tags": ["pace"],
        **overrides,
    }
    return Item.create(**fields)


def item_in(status: ItemStatus) -> Item:
    """An item already in ``status``, with its creation event delivered."""
    item = new_item()
    item.status = status
    item.events.clear()
    return item


def new_hearing(**overrides: Any) -> Hearing:
    fields: dict[str, Any] = {
        "item_id": uuid.uuid4(),
        "committee": "MM-IRIPT",
        "session": "2026-spring",
        "timezone": "Asia/Baku",
        "classification": "public",
        "title": {"en": "Hearing on the Justice for Khojaly campaign"},
        "starts_at": datetime(2026, 3, 12, 11, 0, tzinfo=BAKU),
        "ends_at": datetime(2026, 3, 12, 13, 0, tzinfo=BAKU),
        "location": "Hall 2",
        **overrides,
    }
    return Hearing.schedule(**fields)


def spring_session() -> Session:
    return Session(
        committee_code="MM-IRIPT",
        code="2026-spring",
        name={"en": "2026 spring session"},
        starts_on=date(2026, 2, 1),
        ends_on=date(2026, 5, 31),
        timezone="Asia/Baku",
    )


def baku(text: str) -> datetime:
    return datetime.fromisoformat(text)


# --- items -------------------------------------------------------------------------------------


def test_creating_an_item_records_item_created_with_sequence_1():
    item = new_item()

    assert item.status == "planned"
    assert item.version == 1
    assert len(item.events) == 1
    recorded = item.events[0]
    assert recorded.sequence == 1
    assert isinstance(recorded.data, ItemCreated)
    assert recorded.data.item_id == item.id
    assert recorded.data.subject == f"item/{item.id}"
    assert recorded.data.title["az"] == "AŞPA-nın aprel sessiyası"
    assert recorded.data.organizations == ["PACE"]
    assert recorded.data.status == "planned"


def test_an_item_whose_period_ends_before_it_starts_is_refused():
    with pytest.raises(RuleViolation, match=r"period ends \(2026-04-01\) before it starts"):
        new_item(period_start=date(2026, 4, 24), period_end=date(2026, 4, 1))


def test_update_records_item_updated_naming_only_the_changed_fields():
    item = new_item()

    changed = item.update(
        {
            "owners": ["Committee chair"],
            "tags": ["pace", "priority"],
            "title": dict(item.title),  # sent, but the same
            "category": "delegation_support",  # sent, but the same
        }
    )

    assert changed == ["owners", "tags"]
    assert item.owners == ["Committee chair"]
    assert item.tags == ["pace", "priority"]
    assert item.version == 2
    recorded = item.events[-1]
    assert recorded.sequence == 2
    assert isinstance(recorded.data, ItemUpdated)
    assert recorded.data.changed == ["owners", "tags"]
    assert recorded.data.owners == ["Committee chair"]


def test_update_that_changes_nothing_records_no_event():
    item = new_item()

    changed = item.update({"owners": list(item.owners), "period_end": item.period_end})

    assert changed == []
    assert item.version == 1
    assert [type(recorded.data) for recorded in item.events] == [ItemCreated]


def test_update_of_a_field_that_cannot_change_is_refused_and_changes_nothing():
    item = new_item()

    with pytest.raises(RuleViolation, match="cannot be updated: status"):
        item.update({"status": "completed", "owners": ["Someone else"]})

    assert item.status == "planned"
    assert item.owners == ["Head of the delegation to PACE"]
    assert item.version == 1


def test_update_that_would_end_the_period_before_it_starts_is_refused_and_changes_nothing():
    item = new_item()

    with pytest.raises(RuleViolation, match="before it starts"):
        item.update({"period_end": date(2026, 4, 1), "owners": ["Committee chair"]})

    assert item.period_end == date(2026, 4, 24)
    assert item.owners == ["Head of the delegation to PACE"]
    assert item.version == 1


@pytest.mark.parametrize(
    ("current", "wanted"), [(a, b) for a in STATUSES for b in STATUSES if a != b]
)
def test_status_transition_table(current, wanted):
    item = item_in(current)

    if (current, wanted) in ALLOWED:
        assert item.change_status(wanted, reason="decided by the committee") is True
        assert item.status == wanted
        recorded = item.events[-1]
        assert isinstance(recorded.data, ItemStatusChanged)
        assert recorded.data.previous_status == current
        assert recorded.data.status == wanted
        assert recorded.data.reason == "decided by the committee"
        assert recorded.sequence == 2
    else:
        with pytest.raises(Conflict) as refused:
            item.change_status(wanted)
        message = str(refused.value)
        assert f"cannot go from {current} to {wanted}" in message
        assert item.status == current
        assert item.events == []


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_a_final_status_says_that_nothing_is_allowed(status):
    with pytest.raises(Conflict, match="allowed: none: it is final"):
        item_in(status).change_status("planned")


def test_changing_to_the_current_status_is_a_no_op_without_event():
    item = item_in("in_progress")

    assert item.change_status("in_progress") is False
    assert item.events == []
    assert item.version == 1


def test_activity_moves_a_planned_item_in_progress_with_the_reason():
    item = new_item()

    item.note_activity("hearing 42 held")

    assert item.status == "in_progress"
    recorded = item.events[-1]
    assert isinstance(recorded.data, ItemStatusChanged)
    assert (recorded.data.previous_status, recorded.data.reason) == ("planned", "hearing 42 held")


@pytest.mark.parametrize("status", ["in_progress", "deferred", "completed", "cancelled"])
def test_activity_leaves_an_item_that_is_not_planned_alone(status):
    item = item_in(status)

    item.note_activity("meeting held")

    assert item.status == status
    assert item.events == []


# --- hearings ----------------------------------------------------------------------------------


def test_schedule_reschedule_and_hold_record_events_with_rising_sequences():
    hearing = new_hearing()
    hearing.reschedule(
        baku("2026-03-19T11:00:00+04:00"),
        baku("2026-03-19T13:00:00+04:00"),
        location="Hall 3",
        reason="Rapporteur abroad",
    )
    hearing.mark_held(baku("2026-03-19T13:05:00+04:00"), {"en": "Three witnesses were heard."})

    assert [type(recorded.data) for recorded in hearing.events] == [
        HearingScheduled,
        HearingRescheduled,
        HearingHeld,
    ]
    assert [recorded.sequence for recorded in hearing.events] == [1, 2, 3]
    assert hearing.version == 3
    assert hearing.status == "held"
    assert all(recorded.data.subject == f"hearing/{hearing.id}" for recorded in hearing.events)


def test_reschedule_carries_the_previous_time_and_place():
    hearing = new_hearing()

    hearing.reschedule(
        baku("2026-03-19T11:00:00+04:00"),
        baku("2026-03-19T13:00:00+04:00"),
        location="Hall 3",
        reason="Rapporteur abroad",
    )

    assert hearing.status == "rescheduled"
    assert hearing.previous_starts_at == datetime(2026, 3, 12, 7, 0, tzinfo=UTC)
    assert hearing.location == "Hall 3"
    data = hearing.events[-1].data
    assert isinstance(data, HearingRescheduled)
    assert data.previous_starts_at == datetime(2026, 3, 12, 7, 0, tzinfo=UTC)
    assert data.previous_ends_at == datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
    assert data.previous_location == "Hall 2"
    assert data.starts_at == datetime(2026, 3, 19, 7, 0, tzinfo=UTC)
    assert data.reason == "Rapporteur abroad"


def test_reschedule_without_a_location_keeps_the_place():
    hearing = new_hearing()

    hearing.reschedule(baku("2026-03-19T11:00:00+04:00"), baku("2026-03-19T13:00:00+04:00"))

    assert hearing.location == "Hall 2"


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "location"),
    [
        ("2026-03-12T11:00:00+04:00", "2026-03-12T13:00:00+04:00", None),
        ("2026-03-12T11:00:00+04:00", "2026-03-12T13:00:00+04:00", "Hall 2"),
        # the same instants written in UTC
        ("2026-03-12T07:00:00+00:00", "2026-03-12T09:00:00+00:00", None),
    ],
)
def test_reschedule_to_the_same_time_and_place_is_a_conflict(starts_at, ends_at, location):
    hearing = new_hearing()

    with pytest.raises(Conflict, match="already at that time and place"):
        hearing.reschedule(baku(starts_at), baku(ends_at), location=location)

    assert hearing.status == "scheduled"
    assert hearing.version == 1


def test_reschedule_to_a_new_place_at_the_same_time_is_allowed():
    hearing = new_hearing()

    hearing.reschedule(hearing.starts_at, hearing.ends_at, location="Hall 5")

    assert hearing.location == "Hall 5"
    assert hearing.version == 2


def test_cancel_keeps_the_hearing_with_its_reason():
    hearing = new_hearing()

    hearing.cancel("Witnesses unavailable")

    assert hearing.status == "cancelled"
    assert hearing.cancel_reason == "Witnesses unavailable"
    assert hearing.starts_at == datetime(2026, 3, 12, 7, 0, tzinfo=UTC)
    data = hearing.events[-1].data
    assert isinstance(data, HearingCancelled)
    assert (data.reason, data.status) == ("Witnesses unavailable", "cancelled")
    assert hearing.events[-1].sequence == 2


def test_a_cancelled_hearing_cannot_be_held_rescheduled_or_cancelled_again():
    hearing = new_hearing()
    hearing.cancel("Witnesses unavailable")

    with pytest.raises(
        Conflict, match=r"was cancelled \(Witnesses unavailable\) and cannot be held"
    ):
        hearing.mark_held(baku("2026-03-12T13:00:00+04:00"), {})
    with pytest.raises(Conflict, match="is cancelled and cannot be rescheduled"):
        hearing.reschedule(baku("2026-03-19T11:00:00+04:00"), baku("2026-03-19T13:00:00+04:00"))
    with pytest.raises(Conflict, match="is cancelled and cannot be cancelled"):
        hearing.cancel("again")

    assert hearing.status == "cancelled"
    assert hearing.version == 2


def test_a_held_hearing_cannot_be_cancelled_or_held_again():
    hearing = new_hearing()
    hearing.mark_held(baku("2026-03-12T13:00:00+04:00"), {})

    with pytest.raises(Conflict, match="is held and cannot be cancelled"):
        hearing.cancel("too late")
    with pytest.raises(Conflict, match="is held and cannot be held"):
        hearing.mark_held(baku("2026-03-12T14:00:00+04:00"), {})


def test_hearing_times_are_kept_in_utc():
    hearing = new_hearing(
        starts_at=baku("2026-03-12T11:00:00+04:00"), ends_at=baku("2026-03-12T13:30:00+04:00")
    )

    assert hearing.starts_at == datetime(2026, 3, 12, 7, 0, tzinfo=UTC)
    assert hearing.starts_at.utcoffset() == timedelta(0)
    assert hearing.ends_at.isoformat() == "2026-03-12T09:30:00+00:00"
    data = hearing.events[0].data
    assert isinstance(data, HearingScheduled)
    assert data.starts_at.isoformat() == "2026-03-12T07:00:00+00:00"
    assert data.timezone == "Asia/Baku"

    hearing.reschedule(baku("2026-03-19T15:00:00+04:00"), baku("2026-03-19T16:00:00+04:00"))
    assert hearing.starts_at.isoformat() == "2026-03-19T11:00:00+00:00"
    assert hearing.previous_starts_at == datetime(2026, 3, 12, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        ("2026-03-12T13:00:00+04:00", "2026-03-12T11:00:00+04:00"),
        ("2026-03-12T11:00:00+04:00", "2026-03-12T11:00:00+04:00"),
        # 11:00 in Baku is 07:00 UTC: the end is before the start
        ("2026-03-12T11:00:00+04:00", "2026-03-12T08:00:00+01:00"),
    ],
)
def test_a_hearing_must_end_after_it_starts(starts_at, ends_at):
    with pytest.raises(RuleViolation, match="must end after it starts"):
        new_hearing(starts_at=baku(starts_at), ends_at=baku(ends_at))


def test_a_hearing_time_without_offset_is_refused():
    with pytest.raises(RuleViolation, match="time zone offset"):
        new_hearing(
            starts_at=baku("2026-03-12T11:00:00+04:00").replace(tzinfo=None),
            ends_at=baku("2026-03-12T13:00:00+04:00"),
        )


def test_a_reschedule_that_ends_before_it_starts_is_refused_and_changes_nothing():
    hearing = new_hearing()

    with pytest.raises(RuleViolation, match="must end after it starts"):
        hearing.reschedule(baku("2026-03-19T13:00:00+04:00"), baku("2026-03-19T11:00:00+04:00"))

    assert hearing.status == "scheduled"
    assert hearing.starts_at == datetime(2026, 3, 12, 7, 0, tzinfo=UTC)
    assert hearing.version == 1


# --- sessions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        ("2026-05-31T23:00:00+04:00", "2026-05-31T23:59:00+04:00"),  # last evening, Baku time
        ("2026-05-31T23:00:00+04:00", "2026-06-01T00:00:00+04:00"),  # ends at midnight exactly
        ("2026-02-01T00:00:00+04:00", "2026-02-01T01:00:00+04:00"),  # first minutes
        ("2026-01-31T20:00:00+00:00", "2026-01-31T21:00:00+00:00"),  # 00:00 in Baku, said in UTC
        ("2026-05-31T19:00:00+00:00", "2026-05-31T19:59:00+00:00"),  # 23:00 in Baku, said in UTC
    ],
)
def test_session_contains_hearings_inside_it_in_baku_time(starts_at, ends_at):
    spring_session().check_contains(baku(starts_at), baku(ends_at))


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        ("2026-05-31T23:30:00+04:00", "2026-06-01T00:30:00+04:00"),  # runs past the last day
        ("2026-06-01T00:30:00+04:00", "2026-06-01T01:30:00+04:00"),
        ("2026-01-31T23:30:00+04:00", "2026-02-01T00:30:00+04:00"),  # starts the day before
        ("2026-05-31T20:30:00+00:00", "2026-05-31T21:00:00+00:00"),  # 00:30 on 1 June in Baku
        ("2026-07-01T11:00:00+04:00", "2026-07-01T13:00:00+04:00"),
    ],
)
def test_session_refuses_hearings_outside_it_in_baku_time(starts_at, ends_at):
    with pytest.raises(RuleViolation) as refused:
        spring_session().check_contains(baku(starts_at), baku(ends_at))

    message = str(refused.value)
    assert "outside session 2026-spring" in message
    assert "2026-02-01 to 2026-05-31, Asia/Baku" in message


def test_a_session_cannot_end_before_it_starts():
    with pytest.raises(RuleViolation, match="ends on 2026-01-31 before it starts on 2026-02-01"):
        Session(
            committee_code="MM-IRIPT",
            code="2026-spring",
            name={"en": "2026 spring session"},
            starts_on=date(2026, 2, 1),
            ends_on=date(2026, 1, 31),
            timezone="Asia/Baku",
        )
