"""App factories of the notifier: nothing is built at import time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from services.notifier.bootstrap import BINDING, SERVICE, Notifier, bootstrap
from services.notifier.entrypoints.api import (
    deliveries,
    errors,
    inbox,
    me,
    recipients,
    subscriptions,
    unsubscribe,
)
from services.notifier.entrypoints.consumers import NotifierConsumer
from services.notifier.entrypoints.workers import DeliveryWorker, DigestWorker, MailServerCheck
from services.notifier.settings import NotifierSettings
from shared.db.engine import ping
from shared.messaging.consumer_document import consumer_document
from shared.runtime.probes import Probe
from shared.runtime.serve import configure_process, serve
from shared.runtime.service_app import ServiceParts, create_service_app

if TYPE_CHECKING:  # FastStream only describes this service's queue; it runs none of it
    from faststream.specification import AsyncAPI

VERSION = "0.1.0"
DESCRIPTION = """
Notifications for committee staff and other systems: e-mail with calendar invitations,
signed webhooks (Standard Webhooks) and an in-app inbox, made from the events of the bus.

Administrators manage recipients, subscriptions, webhook endpoints, mandatory notices and
deliveries with a `notifier:admin` token. A recipient reads their own inbox with a
`notifier:read` token whose subject is their recipient id
(`workplan tokens create --subject <id> --scope notifier:read`).
"""


def create_app(settings: NotifierSettings | None = None) -> FastAPI:
    notifier = bootstrap(settings or NotifierSettings())
    metrics = CollectorRegistry(auto_describe=True)
    consumer = NotifierConsumer(notifier)

    async def consumer_ready() -> str | None:
        return consumer.problem()

    parts = ServiceParts(
        name=SERVICE,
        settings=notifier.settings,
        ping_database=lambda: ping(notifier.engine),
        engine=notifier.engine,
        publisher=notifier.publisher,
        topology=notifier.topology,
        metrics=metrics,
        bindings=[BINDING],
        workers=[
            consumer.run,
            DeliveryWorker(notifier).run,
            DigestWorker(notifier).run,
            MailServerCheck(notifier).run,
            notifier.retention.run,
        ],
        probes=[consumer_ready],
        advisories=[mail_channel(notifier)],
    )
    app = create_service_app(
        parts,
        title="Workplan notifier",
        description=DESCRIPTION,
        version=VERSION,
        routers=[
            recipients.router,
            recipients.endpoints_router,
            subscriptions.router,
            subscriptions.mandatory_router,
            deliveries.router,
            deliveries.digests_router,
            inbox.router,
            me.router,
            unsubscribe.router,
        ],
        openapi_tags=[
            {"name": "recipients", "description": "Who is notified, in which language"},
            {"name": "subscriptions", "description": "What each recipient hears about"},
            {"name": "webhook endpoints", "description": "Receivers of signed webhooks"},
            {"name": "mandatory notices", "description": "Notices muting cannot silence"},
            {"name": "deliveries", "description": "The delivery log: failed ones, resend"},
            {"name": "inbox", "description": "A recipient's in-app notifications"},
            {"name": "me", "description": "A recipient's own preferences and subscriptions"},
            {"name": "unsubscribe", "description": "One-click unsubscribe (RFC 8058)"},
            {"name": "operations", "description": "Health, readiness, metrics"},
        ],
    )
    app.state.notifier = notifier
    errors.install(app)
    return app


def mail_channel(notifier: Notifier) -> Probe:
    """``/readyz`` shows the mail channel degraded while the mail server cannot be reached;
    the notifier stays ready: it keeps consuming and queueing, and mail is retried."""

    async def probe() -> str | None:
        return notifier.mail_watch.problem()

    return probe


def asyncapi(settings: NotifierSettings | None = None) -> AsyncAPI:
    """The AsyncAPI document of the notifier's consumer (generated from the code).

    The notifier consumes with aio-pika directly (see ``entrypoints/consumers.py``); this
    describes that queue and binding through FastStream's document model. It never runs.
    """
    notifier = bootstrap(settings or NotifierSettings())
    return consumer_document(
        notifier.topology,
        BINDING,
        title="Workplan notifier",
        version=VERSION,
        description=(
            "What the notifier consumes: every event of the bus (structured or binary "
            "CloudEvents; see docs/events.md). It publishes nothing."
        ),
        queue_description=(
            "Every CloudEvent of the bus (item, hearing and meeting events), structured or "
            "binary. Each becomes at most one notification per recipient and channel, made "
            "in the transaction that records the event in the inbox; the message is acked "
            "after that commit. Refused messages are dead-lettered with the reason."
        ),
        amqp_url=notifier.settings.amqp_url.get_secret_value(),
    )


def run() -> None:
    settings = NotifierSettings()
    configure_process(settings, SERVICE)
    serve(
        create_app(settings),
        host=settings.notifier_host,
        port=settings.notifier_port,
        graceful_timeout=settings.graceful_timeout,
    )
