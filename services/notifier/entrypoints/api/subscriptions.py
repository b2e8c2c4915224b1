"""Routes of subscriptions and mandatory notices (``notifier:admin``)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Response, status

from services.notifier.entrypoints.api.dependencies import Admin, NotifierDep, PageDep
from services.notifier.entrypoints.api.schemas import (
    MandatoryNoticeIn,
    MandatoryNoticeOut,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPatch,
)
from services.notifier.handlers import subscriptions
from services.notifier.handlers.commands import (
    AddMandatoryNotice,
    AddSubscription,
    UpdateSubscription,
)
from shared.runtime.json_lists import JsonOnly

router = APIRouter(prefix="/api/v1/subscriptions", tags=["subscriptions"])
mandatory_router = APIRouter(prefix="/api/v1/mandatory-notices", tags=["mandatory notices"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such subscription (or recipient)"},
    422: {"description": "Invalid filters, or a digest on a channel other than e-mail"},
}


@router.post("", response_model=SubscriptionOut, status_code=201, responses=ERRORS)
async def add_subscription(
    body: SubscriptionIn, notifier: NotifierDep, _: Admin
) -> SubscriptionOut:
    """Subscribe a recipient to events by type, committee, item or organisation, on a channel."""
    subscription = await subscriptions.add_subscription(
        AddSubscription(**dict(body)), notifier.uow()
    )
    return SubscriptionOut.model_validate(subscription)


@router.get("", response_model=list[SubscriptionOut])
async def list_subscriptions(
    notifier: NotifierDep, _: Admin, page: PageDep, recipient_id: uuid.UUID | None = None
) -> list[SubscriptionOut]:
    found = await subscriptions.list_subscriptions(notifier.uow(), recipient_id, page)
    return [SubscriptionOut.model_validate(subscription) for subscription in found]


@router.get("/{subscription_id}", response_model=SubscriptionOut, responses=ERRORS)
async def get_subscription(
    subscription_id: uuid.UUID, notifier: NotifierDep, _: Admin
) -> SubscriptionOut:
    found = await subscriptions.read_subscription(notifier.uow(), subscription_id)
    return SubscriptionOut.model_validate(found)


@router.patch("/{subscription_id}", response_model=SubscriptionOut, responses=ERRORS)
async def update_subscription(
    subscription_id: uuid.UUID, body: SubscriptionPatch, notifier: NotifierDep, _: Admin
) -> SubscriptionOut:
    """Change filters or mode; ``muted: true`` silences it (mandatory notices still arrive)."""
    command = UpdateSubscription(subscription_id, body.changes())
    found = await subscriptions.update_subscription(command, notifier.uow())
    return SubscriptionOut.model_validate(found)


@router.delete("/{subscription_id}", status_code=204, responses=ERRORS)
async def remove_subscription(
    subscription_id: uuid.UUID, notifier: NotifierDep, _: Admin
) -> Response:
    await subscriptions.remove_subscription(subscription_id, notifier.uow())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@mandatory_router.post("", response_model=MandatoryNoticeOut, status_code=201)
async def add_mandatory_notice(
    body: MandatoryNoticeIn, notifier: NotifierDep, _: Admin
) -> MandatoryNoticeOut:
    """Make an event type (of one committee, or of all) impossible to mute."""
    notice = await subscriptions.add_mandatory_notice(
        AddMandatoryNotice(**dict(body)), notifier.uow()
    )
    return MandatoryNoticeOut.model_validate(notice)


@mandatory_router.get("", response_model=list[MandatoryNoticeOut])
async def list_mandatory_notices(
    notifier: NotifierDep, _: Admin, _format: JsonOnly = None
) -> list[MandatoryNoticeOut]:
    found = await subscriptions.list_mandatory_notices(notifier.uow())
    return [MandatoryNoticeOut.model_validate(notice) for notice in found]


@mandatory_router.delete(
    "/{notice_id}", status_code=204, responses={404: {"description": "No such notice"}}
)
async def remove_mandatory_notice(
    notice_id: uuid.UUID, notifier: NotifierDep, _: Admin
) -> Response:
    await subscriptions.remove_mandatory_notice(notice_id, notifier.uow())
    return Response(status_code=status.HTTP_204_NO_CONTENT)
