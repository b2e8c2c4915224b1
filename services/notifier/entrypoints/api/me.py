"""A recipient's own record and subscriptions (``notifier:read``; the token's subject is the
recipient id): what the staff console's "my notifications" page uses, so that nobody needs
``notifier:admin`` to choose what they hear about. Another recipient's subscription is, to
the caller, one that does not exist (404)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Response, status

from services.notifier.entrypoints.api.dependencies import NotifierDep, OwnRecipient, PageDep
from services.notifier.entrypoints.api.schemas import (
    OwnSubscriptionIn,
    PreferencesPatch,
    RecipientOut,
    SubscriptionOut,
    SubscriptionPatch,
)
from services.notifier.handlers import recipients, subscriptions
from services.notifier.handlers.commands import (
    AddSubscription,
    UpdateRecipient,
    UpdateSubscription,
)

router = APIRouter(prefix="/api/v1/me", tags=["me"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such recipient"}}
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such subscription of yours"},
    422: {"description": "Invalid filters, or a digest on a channel other than e-mail"},
}


@router.get("", response_model=RecipientOut, responses=NOT_FOUND)
async def read_me(notifier: NotifierDep, recipient_id: OwnRecipient) -> RecipientOut:
    """Your recipient record: name, e-mail, language, time zone."""
    return RecipientOut.model_validate(
        await recipients.read_recipient(notifier.uow(), recipient_id)
    )


@router.patch("", response_model=RecipientOut, responses=NOT_FOUND)
async def update_me(
    body: PreferencesPatch, notifier: NotifierDep, recipient_id: OwnRecipient
) -> RecipientOut:
    """Your language and time zone (of e-mails and digests)."""
    command = UpdateRecipient(recipient_id, body.changes())
    return RecipientOut.model_validate(await recipients.update_recipient(command, notifier.uow()))


@router.get("/subscriptions", response_model=list[SubscriptionOut])
async def list_own(
    notifier: NotifierDep, recipient_id: OwnRecipient, page: PageDep
) -> list[SubscriptionOut]:
    found = await subscriptions.list_subscriptions(notifier.uow(), recipient_id, page)
    return [SubscriptionOut.model_validate(subscription) for subscription in found]


@router.post("/subscriptions", response_model=SubscriptionOut, status_code=201, responses=ERRORS)
async def subscribe(
    body: OwnSubscriptionIn, notifier: NotifierDep, recipient_id: OwnRecipient
) -> SubscriptionOut:
    """Hear about events by type, committee, item or organisation, on a channel."""
    command = AddSubscription(recipient_id=recipient_id, **dict(body))
    return SubscriptionOut.model_validate(
        await subscriptions.add_subscription(command, notifier.uow())
    )


@router.patch("/subscriptions/{subscription_id}", response_model=SubscriptionOut, responses=ERRORS)
async def change_own(
    subscription_id: uuid.UUID,
    body: SubscriptionPatch,
    notifier: NotifierDep,
    recipient_id: OwnRecipient,
) -> SubscriptionOut:
    """Change filters or mode; ``muted: true`` silences it (mandatory notices still arrive)."""
    command = UpdateSubscription(subscription_id, body.changes())
    found = await subscriptions.update_subscription(command, notifier.uow(), owner=recipient_id)
    return SubscriptionOut.model_validate(found)


@router.delete("/subscriptions/{subscription_id}", status_code=204, responses=ERRORS)
async def remove_own(
    subscription_id: uuid.UUID, notifier: NotifierDep, recipient_id: OwnRecipient
) -> Response:
    await subscriptions.remove_subscription(subscription_id, notifier.uow(), owner=recipient_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
