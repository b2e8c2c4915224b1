"""The delivery log for operators: list, inspect, resend."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from services.notifier.domain.deliveries import UNDELIVERED
from services.notifier.domain.errors import Conflict, NotFound
from services.notifier.handlers.ports import (
    AttemptView,
    DeliveryFilter,
    DeliveryView,
    Page,
    UnitOfWork,
)


async def list_deliveries(
    uow: UnitOfWork, where: DeliveryFilter, page: Page
) -> Sequence[DeliveryView]:
    async with uow:
        return await uow.deliveries.find(where, page)


async def read_delivery(
    uow: UnitOfWork, delivery_id: uuid.UUID
) -> tuple[DeliveryView, Sequence[AttemptView]]:
    async with uow:
        delivery = await uow.deliveries.get(delivery_id)
        if delivery is None:
            raise NotFound(f"delivery {delivery_id} does not exist")
        return delivery, await uow.deliveries.attempts(delivery_id)


async def resend_delivery(delivery_id: uuid.UUID, uow: UnitOfWork, *, by: str) -> DeliveryView:
    """Queue a failed, dead or retrying delivery for an attempt now, with a fresh schedule."""
    async with uow:
        delivery = await uow.deliveries.get(delivery_id, for_update=True)
        if delivery is None:
            raise NotFound(f"delivery {delivery_id} does not exist")
        if delivery.status not in UNDELIVERED:
            raise Conflict(
                f"delivery {delivery_id} is {delivery.status}; only retrying, failed or dead "
                "deliveries can be resent"
            )
        if delivery.channel == "webhook":
            endpoint = (
                await uow.endpoints.get(delivery.endpoint_id) if delivery.endpoint_id else None
            )
            if endpoint is None or not endpoint.enabled:
                raise Conflict(
                    f"the webhook endpoint of delivery {delivery_id} is disabled or removed; "
                    "enable it first"
                )
        await uow.deliveries.requeue(delivery_id, f"resent by {by}")
        await uow.commit()
        found = await uow.deliveries.get(delivery_id)
    if found is None:  # pragma: no cover - it was there a moment ago, in this transaction
        raise NotFound(f"delivery {delivery_id} does not exist")
    return found
