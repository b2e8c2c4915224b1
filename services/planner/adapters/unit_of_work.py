"""The unit of work: one transaction for the state change, its outbox rows and the inbox row."""

from __future__ import annotations

import json
from itertools import chain
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.planner.adapters.orm import inbox, outbox
from services.planner.adapters.repositories import (
    SqlHearingRepository,
    SqlItemRepository,
    SqlMeetingRepository,
    SqlOrganizationRepository,
    SqlPlanRepository,
)
from services.planner.domain.errors import RuleViolation
from services.planner.domain.recorded import RecordsEvents
from shared.contract import CloudEvent, new_event
from shared.contract.amqp_binding import MAX_BODY_BYTES
from shared.db.inbox import InboxRecorder
from shared.db.outbox import OutboxWriter
from shared.observability.tracing import current_traceparent


class SqlUnitOfWork:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], *, source: str) -> None:
        self._session_factory = session_factory
        self._source = source
        self._outbox = OutboxWriter(outbox)
        self._inbox = InboxRecorder(inbox)

    @property
    def source(self) -> str:
        return self._source

    async def __aenter__(self) -> Self:
        self.session = self._session_factory()
        self.organizations = SqlOrganizationRepository(self.session)
        self.plans = SqlPlanRepository(self.session)
        self.items = SqlItemRepository(self.session)
        self.hearings = SqlHearingRepository(self.session)
        self.meetings = SqlMeetingRepository(self.session)
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Roll back anything uncommitted; loaded objects stay readable (detached, not expired)."""
        await self.session.close()

    async def commit(self) -> None:
        await self.session.flush()
        events = self._collect_events()
        for event in events:
            _check_size(event)
        await self._outbox.add(self.session, events)
        await self.session.commit()

    async def seen_before(self, event: CloudEvent) -> bool:
        return not await self._inbox.record(self.session, event)

    def _collect_events(self) -> list[CloudEvent]:
        events: list[CloudEvent] = []
        traceparent = current_traceparent()  # the request's trace goes on in every consumer
        aggregates = chain(self.items.seen, self.hearings.seen, self.meetings.seen)
        for aggregate in aggregates:
            if isinstance(aggregate, RecordsEvents):
                while aggregate.events:
                    recorded = aggregate.events.pop(0)
                    events.append(
                        new_event(
                            recorded.data,
                            source=self._source,
                            sequence=recorded.sequence,
                            traceparent=traceparent,
                        )
                    )
        return events


def _check_size(event: CloudEvent) -> None:
    """A change whose event no consumer would take (over the bus's body limit) is refused."""
    # as the relay sends it: the outbox's JSONB text, which separates with ", " and ": "
    size = len(json.dumps(event.to_json_dict(), ensure_ascii=False).encode())
    if size > MAX_BODY_BYTES:
        raise RuleViolation(
            f"this change would make an event of {size:,} bytes, over the {MAX_BODY_BYTES:,} "
            "an event may hold: shorten its texts"
        )
