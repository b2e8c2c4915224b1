"""Handlers of recipients and their webhook endpoints."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from services.notifier.domain.errors import Conflict, NotFound
from services.notifier.domain.recipients import Recipient, check_email, check_timezone
from services.notifier.domain.webhooks import WebhookEndpoint, check_url
from services.notifier.handlers.commands import (
    AddRecipient,
    AddWebhookEndpoint,
    UpdateRecipient,
    UpdateWebhookEndpoint,
)
from services.notifier.handlers.ports import Page, UnitOfWork


async def add_recipient(command: AddRecipient, uow: UnitOfWork) -> Recipient:
    recipient = Recipient(
        name=command.name,
        email=command.email,
        language=command.language,
        timezone=command.timezone,
        cleared=command.cleared,
    )  # checked before the address is looked up
    async with uow:
        if await uow.recipients.by_email(recipient.email) is not None:
            raise Conflict(f"a recipient with e-mail {recipient.email} exists already")
        uow.recipients.add(recipient)
        await uow.commit()
    return recipient


async def update_recipient(command: UpdateRecipient, uow: UnitOfWork) -> Recipient:
    async with uow:
        recipient = await get_recipient(uow, command.recipient_id)
        changes = command.changes
        if "email" in changes and changes["email"] != recipient.email:
            check_email(changes["email"])
            if await uow.recipients.by_email(changes["email"]) is not None:
                raise Conflict(f"a recipient with e-mail {changes['email']} exists already")
        if "timezone" in changes:
            check_timezone(changes["timezone"])
        for name, value in changes.items():
            setattr(recipient, name, value)
        await uow.commit()
    return recipient


async def list_recipients(uow: UnitOfWork, page: Page) -> Sequence[Recipient]:
    async with uow:
        return await uow.recipients.find(page)


async def read_recipient(uow: UnitOfWork, recipient_id: uuid.UUID) -> Recipient:
    async with uow:
        return await get_recipient(uow, recipient_id)


async def get_recipient(uow: UnitOfWork, recipient_id: uuid.UUID) -> Recipient:
    recipient = await uow.recipients.get(recipient_id)
    if recipient is None:
        raise NotFound(f"recipient {recipient_id} does not exist")
    return recipient


async def add_webhook_endpoint(command: AddWebhookEndpoint, uow: UnitOfWork) -> WebhookEndpoint:
    async with uow:
        await get_recipient(uow, command.recipient_id)
        if await uow.endpoints.of_recipient(command.recipient_id) is not None:
            raise Conflict(
                f"recipient {command.recipient_id} has a webhook endpoint already; change its "
                "URL, or add another recipient for another receiver"
            )
        endpoint = WebhookEndpoint(
            recipient_id=command.recipient_id, url=command.url, description=command.description
        )
        uow.endpoints.add(endpoint)
        await uow.commit()
    return endpoint


async def update_webhook_endpoint(
    command: UpdateWebhookEndpoint, uow: UnitOfWork
) -> WebhookEndpoint:
    async with uow:
        endpoint = await get_endpoint(uow, command.endpoint_id)
        changes = dict(command.changes)
        if "url" in changes:
            endpoint.url = check_url(changes.pop("url"))
        if "description" in changes:
            endpoint.description = changes.pop("description")
        if "enabled" in changes:
            if changes.pop("enabled"):
                endpoint.enable()
            else:
                endpoint.disable("disabled by an administrator")
        await uow.commit()
    return endpoint


async def rotate_webhook_secret(endpoint_id: uuid.UUID, uow: UnitOfWork) -> WebhookEndpoint:
    async with uow:
        endpoint = await get_endpoint(uow, endpoint_id)
        endpoint.rotate_secret()
        await uow.commit()
    return endpoint


async def remove_webhook_endpoint(endpoint_id: uuid.UUID, uow: UnitOfWork) -> None:
    async with uow:
        endpoint = await get_endpoint(uow, endpoint_id)
        await uow.endpoints.delete(endpoint)
        await uow.commit()


async def list_webhook_endpoints(uow: UnitOfWork, page: Page) -> Sequence[WebhookEndpoint]:
    async with uow:
        return await uow.endpoints.find(page)


async def read_webhook_endpoint(uow: UnitOfWork, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    async with uow:
        return await get_endpoint(uow, endpoint_id)


async def get_endpoint(uow: UnitOfWork, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    endpoint = await uow.endpoints.get(endpoint_id)
    if endpoint is None:
        raise NotFound(f"webhook endpoint {endpoint_id} does not exist")
    return endpoint
