"""Calendar feed addresses: ``POST/GET /api/v1/feeds``, ``DELETE /api/v1/feeds/{id}``, and
the secret address itself, ``GET /feeds/{token}.ics``, which needs no header.

A calendar program (Outlook, Apple Calendar, Google Calendar, Thunderbird) cannot send a
bearer token; it subscribes to an address. Each feed has its own long random token, shown
once when the feed is made; only its hash is stored. A feed shows restricted items only
if the token that made it carried ``archive:restricted`` (or an administrator's did, and
asked for them); revoking it makes its address answer 404.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from services.archive.domain.feeds import MAX_ITEMS, CalendarFeed, FeedFilters
from services.archive.entrypoints.api import ical
from services.archive.entrypoints.api.calendar import (
    CALENDAR_RESPONSES,
    MEDIA_TYPE,
    feed_rows,
    style,
    tagged,
)
from services.archive.entrypoints.api.dependencies import CALENDAR_READER, ArchiveDep, audit
from services.archive.handlers import feeds
from services.archive.handlers.feeds import Actor, CreateFeed
from services.archive.handlers.filters import StateFilter, Viewer
from shared.auth.tokens import Principal
from shared.contract.values import CommitteeCode, OrganizationCode, ShortText

router = APIRouter(tags=["calendar"])
DEFAULT_NAME = "Workplan: hearings and meetings"


def get_actor(principal: Annotated[Principal, Depends(CALENDAR_READER)]) -> Actor:
    return Actor(
        subject=principal.subject,
        admin=principal.has("archive:admin"),
        cleared=principal.has("archive:restricted"),
    )


ActorDep = Annotated[Actor, Depends(get_actor)]


class NewFeed(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ShortText = Field(default=DEFAULT_NAME, max_length=200, description="Shown as the "
                            "calendar's name in the program that subscribes.")  # fmt: skip
    committee: CommitteeCode | None = Field(default=None, description="Only this committee.")
    organization: OrganizationCode | None = Field(
        default=None, description="Only hearings and meetings with this counterpart."
    )
    items: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="Items followed: only their hearings and meetings (none: every item).",
    )
    owner: ShortText | None = Field(
        default=None,
        max_length=200,
        description="Whose feed it is (default: the caller); another owner, e.g. a shared "
        "mailbox, needs the `archive:admin` scope.",
    )
    restricted: bool | None = Field(
        default=None,
        description="Show restricted items: by default when the caller's token carries "
        "`archive:restricted`; `true` needs that scope; `false` leaves them out.",
    )


class FeedView(BaseModel):
    id: uuid.UUID
    name: str
    owner: str
    committee: str | None
    organization: str | None
    items: list[uuid.UUID]
    restricted: bool = Field(description="Whether restricted items are in the feed.")
    created_by: str
    created_at: datetime | None
    last_used_at: datetime | None = Field(description="When a calendar program last read it.")
    revoked_at: datetime | None
    active: bool


class IssuedFeedView(FeedView):
    url: str = Field(description="The secret address to subscribe to; shown only now.")
    token: str = Field(description="The token in that address; shown only now.")


def view(feed: CalendarFeed) -> dict[str, Any]:
    return {
        "id": feed.id,
        "name": feed.name,
        "owner": feed.owner,
        "committee": feed.filters.committee,
        "organization": feed.filters.organization,
        "items": list(feed.filters.item_ids),
        "restricted": feed.cleared,
        "created_by": feed.created_by,
        "created_at": feed.created_at,
        "last_used_at": feed.last_used_at,
        "revoked_at": feed.revoked_at,
        "active": feed.active,
    }


def feed_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/feeds/{token}.ics"


@router.post(
    "/api/v1/feeds",
    status_code=status.HTTP_201_CREATED,
    summary="Make a calendar feed address",
    responses={
        403: {"description": "Another owner or restricted items without the scope for it"},
        422: {"description": "A field is malformed, or a followed item is not in the archive"},
    },
)
async def create_feed(body: NewFeed, archive: ArchiveDep, actor: ActorDep) -> IssuedFeedView:
    """Returns the feed with its secret address (`url`), the only time the token is shown."""
    command = CreateFeed(
        name=body.name,
        filters=FeedFilters(
            committee=body.committee,
            organization=body.organization,
            item_ids=tuple(dict.fromkeys(body.items)),
        ),
        owner=body.owner,
        restricted=body.restricted,
    )
    issued = await feeds.create_feed(command, actor, archive.feeds, archive.queries)
    return IssuedFeedView(
        **view(issued.feed),
        url=feed_url(archive.settings.archive_public_url, issued.token),
        token=issued.token,
    )


@router.get(
    "/api/v1/feeds",
    summary="Calendar feeds and their last use",
    responses={403: {"description": "Another owner's feeds without `archive:admin`"}},
)
async def list_feeds(
    archive: ArchiveDep,
    actor: ActorDep,
    owner: Annotated[
        ShortText | None, Query(max_length=200, description="Administrators: one owner's.")
    ] = None,
) -> list[FeedView]:
    """The caller's feeds, revoked ones too; an administrator's token lists everyone's."""
    found = await feeds.list_feeds(actor, archive.feeds, owner)
    return [FeedView(**view(feed)) for feed in found]


@router.delete(
    "/api/v1/feeds/{feed_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke a calendar feed",
    responses={404: {"description": "No such feed of the caller's"}},
)
async def revoke_feed(feed_id: uuid.UUID, archive: ArchiveDep, actor: ActorDep) -> Response:
    """Its address answers 404 from now on; the feed stays listed, with `revoked_at`."""
    await feeds.revoke_feed(feed_id, actor, archive.feeds)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/feeds/{token}.ics",
    summary="A calendar feed, by its secret address (no header needed)",
    response_class=Response,
    responses={
        **CALENDAR_RESPONSES,
        404: {"description": "No feed at this address, or it was revoked"},
    },
    openapi_extra={"security": []},
)
async def read_feed(
    request: Request,
    archive: ArchiveDep,
    token: Annotated[str, Path(max_length=100, description="The feed's token.")],
) -> Response:
    """What a calendar program fetches: the feed's hearings and meetings (the latest 1,000
    of each), with the filters and clearance it was made with."""
    feed = await feeds.open_feed(token, archive.feeds)
    viewer = Viewer(principal=f"feed {feed.id} of {feed.owner}", cleared=feed.cleared)
    where = StateFilter(
        committee=feed.filters.committee,
        organization=feed.filters.organization,
        item_ids=feed.filters.item_ids or None,
    )
    hearings, meetings = await feed_rows(archive, where, viewer)
    await audit(request, archive, viewer, tagged(hearings, meetings))
    body = ical.render(
        feed.name, hearings, meetings, await archive.feeds.session_zones(), style(archive)
    )
    return Response(
        body,
        media_type=MEDIA_TYPE,
        headers={"Cache-Control": "private, no-cache", "X-Robots-Tag": "noindex"},
    )
