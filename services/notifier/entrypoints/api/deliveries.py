"""Routes of the delivery log: list, inspect, resend; and making digests now (admin)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from services.notifier.domain.deliveries import DeliveryStatus
from services.notifier.domain.subscriptions import Channel
from services.notifier.entrypoints.api.dependencies import Admin, NotifierDep, PageDep, cleared
from services.notifier.entrypoints.api.schemas import (
    AttemptOut,
    DeliveryDetailOut,
    DeliveryOut,
    DigestDay,
)
from services.notifier.handlers import deliveries
from services.notifier.handlers.digests import compose_digests
from services.notifier.handlers.ports import DeliveryFilter

router = APIRouter(prefix="/api/v1/deliveries", tags=["deliveries"])
digests_router = APIRouter(prefix="/api/v1/digests", tags=["deliveries"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such delivery"},
    409: {"description": "Sent already, still queued, or its endpoint is disabled"},
}


@router.get("", response_model=list[DeliveryOut])
async def list_deliveries(
    notifier: NotifierDep,
    principal: Admin,
    page: PageDep,
    status: Annotated[
        list[DeliveryStatus] | None,
        Query(description="Repeat for several; e.g. status=failed&status=dead."),
    ] = None,
    channel: Channel | None = None,
    recipient_id: uuid.UUID | None = None,
    event_id: str | None = None,
) -> list[DeliveryOut]:
    """The delivery log, newest first; deliveries of restricted notices only with
    `notifier:restricted`."""
    where = DeliveryFilter(
        statuses=tuple(status or ()),
        channel=channel,
        recipient_id=recipient_id,
        event_id=event_id,
        include_restricted=cleared(principal),
    )
    found = await deliveries.list_deliveries(notifier.uow(), where, page)
    return [DeliveryOut.model_validate(delivery) for delivery in found]


@router.get("/{delivery_id}", response_model=DeliveryDetailOut, responses=ERRORS)
async def get_delivery(
    delivery_id: uuid.UUID, notifier: NotifierDep, principal: Admin
) -> DeliveryDetailOut:
    """One delivery with its journal: queued, each attempt's result, resends."""
    delivery, journal = await deliveries.read_delivery(
        notifier.uow(), delivery_id, cleared=cleared(principal)
    )
    return DeliveryDetailOut.model_validate(
        {
            **DeliveryOut.model_validate(delivery).model_dump(),
            "journal": [AttemptOut.model_validate(entry) for entry in journal],
        }
    )


@router.post("/{delivery_id}/resend", response_model=DeliveryOut, responses=ERRORS)
async def resend(delivery_id: uuid.UUID, notifier: NotifierDep, principal: Admin) -> DeliveryOut:
    """Queue a retrying, failed or dead delivery for an attempt now, with a fresh schedule."""
    delivery = await deliveries.resend_delivery(
        delivery_id, notifier.uow(), by=principal.subject, cleared=cleared(principal)
    )
    return DeliveryOut.model_validate(delivery)


@digests_router.post("")
async def make_digests(
    notifier: NotifierDep,
    _: Admin,
    day: Annotated[
        DigestDay | None,
        Query(description="The digest day (years 1900 to 2200); default: each one's due."),
    ] = None,
) -> dict[str, int]:
    """Queue the daily digests now (of ``day`` for everyone, or those whose hour has come)."""
    made = await compose_digests(
        notifier.uow,
        notifier.renderer,
        hour=notifier.settings.digest_hour,
        day=day,
        now=notifier.clock(),
    )
    return {"digests": made}
