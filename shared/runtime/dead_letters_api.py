"""``GET /api/v1/dead-letters`` and ``POST /api/v1/dead-letters/replay``: a service's refused
messages with their reasons, and sending them back, over HTTP (``<service>:admin``).

The same functions as ``workplan deadletters`` (``shared/messaging/dead_letter_queue.py``):
listing returns every message to the queue; a replay re-publishes with confirms before it
acks. A message's body can carry restricted data: it is shown only to a caller who also
holds the service's ``<service>:restricted`` scope.
"""

# no `from __future__ import annotations`: the routes' types are local to the factory
from typing import Annotated, Any

import aio_pika.exceptions
from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from shared.auth.http import require
from shared.auth.tokens import Principal
from shared.contract.values import NO_NUL
from shared.messaging.dead_letter_queue import list_dead_letters, replay_dead_letters
from shared.messaging.topology import Topology
from shared.settings import WorkplanSettings

BODY_SHOWN = 20_000
"""Characters of a body shown at most (the rest is cut, and said to be)."""


class DeadLetterOut(BaseModel):
    message_id: str | None
    code: str = Field(description="Why, as a code (e.g. `validation`, `policy`).")
    reason: str = Field(description="Why, in words.")
    routing_key: str
    exchange: str
    dead_lettered_at: str | None
    content_type: str | None
    body: str | None = Field(
        description="The message as text (cut at 20,000 characters); null when the caller "
        "lacks the service's `restricted` scope."
    )
    body_withheld: bool


MessageId = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]


class ReplayIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"message_ids": ["evt-1"]}]}
    )

    message_ids: (
        list[Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]] | None
    ) = Field(default=None, max_length=1000, description="Replay only these.")
    all: StrictBool = Field(default=False, description="Replay every dead letter.")

    @model_validator(mode="after")
    def _something(self) -> "ReplayIn":
        if not self.all and not self.message_ids:
            raise ValueError("name messages in message_ids, or send all: true")
        if self.all and self.message_ids:
            raise ValueError("send message_ids or all: true, not both")
        return self


class ReplayedOut(BaseModel):
    replayed: int


def dead_letters_router(service: str, settings: WorkplanSettings, topology: Topology) -> APIRouter:
    router = APIRouter(prefix="/api/v1/dead-letters", tags=["operations"])
    admin = Annotated[Principal, Depends(require(f"{service}:admin"))]
    url = settings.amqp_url.get_secret_value()
    responses: dict[int | str, dict[str, Any]] = {
        503: {"description": "The broker cannot be reached"}
    }

    @router.get("", response_model=list[DeadLetterOut], responses=responses)
    async def list_letters(
        principal: admin,
        limit: Annotated[int, Query(ge=1, le=1000, description="At most this many.")] = 100,
    ) -> list[DeadLetterOut]:
        """The refused messages, oldest first, with their reasons (they stay queued)."""
        try:
            letters = await list_dead_letters(url, topology, service, limit)
        except aio_pika.exceptions.ChannelNotFoundEntity:
            return []  # nothing of this service's was ever dead-lettered
        except (aio_pika.exceptions.AMQPConnectionError, OSError) as exc:
            raise _broker_down() from exc
        shown = principal.has(f"{service}:restricted")
        return [
            DeadLetterOut(
                message_id=letter.message_id,
                code=letter.code,
                reason=letter.reason,
                routing_key=letter.routing_key,
                exchange=letter.exchange,
                dead_lettered_at=letter.dead_lettered_at,
                content_type=letter.content_type,
                body=letter.body.decode("utf-8", "replace")[:BODY_SHOWN] if shown else None,
                body_withheld=not shown,
            )
            for letter in letters
        ]

    @router.post("/replay", response_model=ReplayedOut, responses=responses)
    async def replay(body: ReplayIn, _principal: admin) -> ReplayedOut:
        """Send them back to the exchange and routing key they first arrived with."""
        try:
            count = await replay_dead_letters(
                url,
                topology,
                service,
                message_ids=None if body.all else set(body.message_ids or ()),
            )
        except aio_pika.exceptions.ChannelNotFoundEntity:
            count = 0
        except (aio_pika.exceptions.AMQPConnectionError, OSError) as exc:
            raise _broker_down() from exc
        return ReplayedOut(replayed=count)

    return router


def _broker_down() -> HTTPException:
    return HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "the broker cannot be reached")
