"""Routes of recipients and their webhook endpoints (``notifier:admin``)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Response, status

from services.notifier.entrypoints.api.dependencies import Admin, NotifierDep, PageDep
from services.notifier.entrypoints.api.schemas import (
    RecipientIn,
    RecipientOut,
    RecipientPatch,
    WebhookEndpointIn,
    WebhookEndpointOut,
    WebhookEndpointPatch,
    WebhookEndpointWithSecret,
)
from services.notifier.handlers import recipients
from services.notifier.handlers.commands import (
    AddRecipient,
    AddWebhookEndpoint,
    UpdateRecipient,
    UpdateWebhookEndpoint,
)

router = APIRouter(prefix="/api/v1/recipients", tags=["recipients"])
endpoints_router = APIRouter(prefix="/api/v1/webhook-endpoints", tags=["webhook endpoints"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such recipient"}}
ENDPOINT_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such endpoint (or recipient)"},
    409: {"description": "The recipient has an endpoint already"},
}


@router.post("", response_model=RecipientOut, status_code=status.HTTP_201_CREATED)
async def add_recipient(body: RecipientIn, notifier: NotifierDep, _: Admin) -> RecipientOut:
    """Add a recipient: a person (or system) with an e-mail address, language and time zone."""
    recipient = await recipients.add_recipient(AddRecipient(**dict(body)), notifier.uow())
    return RecipientOut.model_validate(recipient)


@router.get("", response_model=list[RecipientOut])
async def list_recipients(notifier: NotifierDep, _: Admin, page: PageDep) -> list[RecipientOut]:
    found = await recipients.list_recipients(notifier.uow(), page)
    return [RecipientOut.model_validate(recipient) for recipient in found]


@router.get("/{recipient_id}", response_model=RecipientOut, responses=NOT_FOUND)
async def get_recipient(recipient_id: uuid.UUID, notifier: NotifierDep, _: Admin) -> RecipientOut:
    return RecipientOut.model_validate(
        await recipients.read_recipient(notifier.uow(), recipient_id)
    )


@router.patch("/{recipient_id}", response_model=RecipientOut, responses=NOT_FOUND)
async def update_recipient(
    recipient_id: uuid.UUID, body: RecipientPatch, notifier: NotifierDep, _: Admin
) -> RecipientOut:
    """Change name, e-mail, language, time zone; ``active: false`` stops every notification."""
    command = UpdateRecipient(recipient_id, body.changes())
    return RecipientOut.model_validate(await recipients.update_recipient(command, notifier.uow()))


@endpoints_router.post(
    "",
    response_model=WebhookEndpointWithSecret,
    status_code=status.HTTP_201_CREATED,
    responses=ENDPOINT_ERRORS,
)
async def add_endpoint(
    body: WebhookEndpointIn, notifier: NotifierDep, _: Admin
) -> WebhookEndpointWithSecret:
    """Register a recipient's receiver; the answer holds the signing secret, shown only now."""
    endpoint = await recipients.add_webhook_endpoint(
        AddWebhookEndpoint(**dict(body)), notifier.uow()
    )
    return WebhookEndpointWithSecret.model_validate(endpoint)


@endpoints_router.get("", response_model=list[WebhookEndpointOut])
async def list_endpoints(
    notifier: NotifierDep, _: Admin, page: PageDep
) -> list[WebhookEndpointOut]:
    found = await recipients.list_webhook_endpoints(notifier.uow(), page)
    return [WebhookEndpointOut.model_validate(endpoint) for endpoint in found]


@endpoints_router.get(
    "/{endpoint_id}", response_model=WebhookEndpointOut, responses=ENDPOINT_ERRORS
)
async def get_endpoint(
    endpoint_id: uuid.UUID, notifier: NotifierDep, _: Admin
) -> WebhookEndpointOut:
    endpoint = await recipients.read_webhook_endpoint(notifier.uow(), endpoint_id)
    return WebhookEndpointOut.model_validate(endpoint)


@endpoints_router.patch(
    "/{endpoint_id}", response_model=WebhookEndpointOut, responses=ENDPOINT_ERRORS
)
async def update_endpoint(
    endpoint_id: uuid.UUID, body: WebhookEndpointPatch, notifier: NotifierDep, _: Admin
) -> WebhookEndpointOut:
    """Change the URL or description; ``enabled: true`` re-enables one a 410 disabled."""
    command = UpdateWebhookEndpoint(endpoint_id, body.changes())
    endpoint = await recipients.update_webhook_endpoint(command, notifier.uow())
    return WebhookEndpointOut.model_validate(endpoint)


@endpoints_router.post(
    "/{endpoint_id}/rotate-secret",
    response_model=WebhookEndpointWithSecret,
    responses=ENDPOINT_ERRORS,
)
async def rotate_secret(
    endpoint_id: uuid.UUID, notifier: NotifierDep, _: Admin
) -> WebhookEndpointWithSecret:
    """A new signing secret; deliveries from now on are signed with it."""
    endpoint = await recipients.rotate_webhook_secret(endpoint_id, notifier.uow())
    return WebhookEndpointWithSecret.model_validate(endpoint)


@endpoints_router.delete(
    "/{endpoint_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ENDPOINT_ERRORS
)
async def remove_endpoint(endpoint_id: uuid.UUID, notifier: NotifierDep, _: Admin) -> Response:
    await recipients.remove_webhook_endpoint(endpoint_id, notifier.uow())
    return Response(status_code=status.HTTP_204_NO_CONTENT)
