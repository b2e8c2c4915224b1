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


def _visible(
    delivery: DeliveryView | None, delivery_id: uuid.UUID, *, cleared: bool
) -> DeliveryView:
    """The delivery, unless it is missing or of a restricted notice and the operator is not
    cleared: then the same 404."""
    if delivery is None or (delivery.restricted and not cleared):
        raise NotFound(f"delivery {delivery_id} does not exist")
    return delivery


async def read_delivery(
    uow: UnitOfWork, delivery_id: uuid.UUID, *, cleared: bool
) -> tuple[DeliveryView, Sequence[AttemptView]]:
    async with uow:
        delivery = _visible(await uow.deliveries.get(delivery_id), delivery_id, cleared=cleared)
        return delivery, await uow.deliveries.attempts(delivery_id)


async def resend_delivery(
    delivery_id: uuid.UUID, uow: UnitOfWork, *, by: str, cleared: bool
) -> DeliveryView:
    """Queue a failed, dead or retrying delivery for an attempt now, with a fresh schedule."""
    async with uow:
        delivery = _visible(
            await uow.deliveries.get(delivery_id, for_update=True), delivery_id, cleared=cleared
        )
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
