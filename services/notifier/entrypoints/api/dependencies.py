"""Dependencies of the API routes, declared once as ``Annotated`` aliases."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request, status

from services.notifier.bootstrap import Notifier
from services.notifier.handlers.ports import Page
from shared.auth.http import require
from shared.auth.tokens import Principal
from shared.runtime.json_lists import JsonOnly


def get_notifier(request: Request) -> Notifier:
    notifier: Notifier = request.app.state.notifier
    return notifier


def get_page(
    limit: Annotated[int, Query(ge=1, le=500, description="Page size.")] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip.")] = 0,
    _format: JsonOnly = None,
) -> Page:
    return Page(limit=limit, offset=offset)


def own_recipient_id(
    principal: Annotated[Principal, Depends(require("notifier:read"))],
) -> uuid.UUID:
    """The recipient a ``notifier:read`` token speaks for: its ``sub`` is the recipient id."""
    try:
        return uuid.UUID(principal.subject)
    except ValueError as exc:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"the token's subject {principal.subject!r} is not a recipient id; mint one with "
            "`workplan tokens create --subject <recipient id> --scope notifier:read`",
        ) from exc


def cleared(principal: Principal) -> bool:
    """May this operator see deliveries of restricted notices?"""
    return principal.has("notifier:restricted")


NotifierDep = Annotated[Notifier, Depends(get_notifier)]
PageDep = Annotated[Page, Depends(get_page)]
Admin = Annotated[Principal, Depends(require("notifier:admin"))]
OwnRecipient = Annotated[uuid.UUID, Depends(own_recipient_id)]
