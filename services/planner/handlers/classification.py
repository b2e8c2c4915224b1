"""The classification rule after an item is reclassified: its hearings and meetings follow.

Whoever changes an item's classification (a clerk's update, a re-imported plan file)
holds the item locked while this runs, so no hearing or meeting is added meanwhile with
the old classification.
"""

from __future__ import annotations

from services.planner.domain.items import Item
from services.planner.handlers.ports import HearingFilter, MeetingFilter, Page, UnitOfWork

EVERYTHING = Page(limit=10_000)


async def reclassify_activities(uow: UnitOfWork, item: Item) -> None:
    """A hearing is as classified as its item, a meeting at least as restricted; each that
    changes says so in its own event."""
    for hearing in await uow.hearings.find(
        HearingFilter(item_id=item.id, include_restricted=True), EVERYTHING, for_update=True
    ):
        hearing.follow_item(item.classification)
    for meeting in await uow.meetings.find(
        MeetingFilter(item_id=item.id, include_restricted=True), EVERYTHING, for_update=True
    ):
        meeting.follow_item(item.classification)
