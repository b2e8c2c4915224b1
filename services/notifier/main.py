"""App factories of the notifier: nothing is built at import time."""

from __future__ import annotations

from fastapi import FastAPI
from faststream.rabbit import RabbitBroker
from faststream.rabbit.prometheus import RabbitPrometheusMiddleware
from faststream.specification import AsyncAPI
from prometheus_client import CollectorRegistry

from services.notifier.bootstrap import BINDING, SERVICE, Notifier, bootstrap
from services.notifier.entrypoints.api import (
    deliveries,
    errors,
    inbox,
    recipients,
    subscriptions,
    unsubscribe,
)
from services.notifier.entrypoints.consumers import build_consumer_router
from services.notifier.entrypoints.workers import DeliveryWorker, DigestWorker, MailServerCheck
from services.notifier.settings import NotifierSettings
from shared.runtime.logs import PER_MESSAGE_LEVEL, broker_logger
from shared.runtime.probes import Probe
from shared.runtime.serve import configure_process, serve
from shared.runtime.service_app import ServiceParts, create_service_app

VERSION = "0.1.0"
DESCRIPTION = """
Notifications for committee staff and other systems: e-mail with calendar invitations,
signed webhooks (Standard Webhooks) and an in-app inbox, made from the events of the bus.

Administrators manage recipients, subscriptions, webhook endpoints, mandatory notices and
deliveries with a `notifier:admin` token. A recipient reads their own inbox with a
`notifier:read` token whose subject is their recipient id
(`workplan tokens create --subject <id> --scope notifier:read`).
"""


def create_broker(notifier: Notifier, metrics: CollectorRegistry) -> RabbitBroker:
    settings = notifier.settings
    broker = RabbitBroker(
        settings.amqp_url.get_secret_value(),
        graceful_timeout=settings.graceful_timeout,
        app_id=SERVICE,
        logger=broker_logger(SERVICE),
        log_level=PER_MESSAGE_LEVEL,
        middlewares=[RabbitPrometheusMiddleware(registry=metrics, app_name=SERVICE)],
        description="Events of the Workplan system (CloudEvents 1.0).",
    )
    broker.include_router(build_consumer_router(notifier))
    return broker


def create_app(settings: NotifierSettings | None = None) -> FastAPI:
    notifier = bootstrap(settings or NotifierSettings())
    metrics = CollectorRegistry(auto_describe=True)
    parts = ServiceParts(
        name=SERVICE,
        settings=notifier.settings,
        engine=notifier.engine,
        publisher=notifier.publisher,
        topology=notifier.topology,
        metrics=metrics,
        broker=create_broker(notifier, metrics),
        bindings=[BINDING],
        workers=[
            DeliveryWorker(notifier).run,
            DigestWorker(notifier).run,
            MailServerCheck(notifier).run,
            notifier.retention.run,
        ],
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
            unsubscribe.router,
        ],
        openapi_tags=[
            {"name": "recipients", "description": "Who is notified, in which language"},
            {"name": "subscriptions", "description": "What each recipient hears about"},
            {"name": "webhook endpoints", "description": "Receivers of signed webhooks"},
            {"name": "mandatory notices", "description": "Notices muting cannot silence"},
            {"name": "deliveries", "description": "The delivery log: failed ones, resend"},
            {"name": "inbox", "description": "A recipient's in-app notifications"},
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
    """The AsyncAPI document of the notifier's consumer (generated from the code)."""
    notifier = bootstrap(settings or NotifierSettings())
    broker = create_broker(notifier, CollectorRegistry())
    return AsyncAPI(
        broker,
        title="Workplan notifier",
        version=VERSION,
        description=(
            "What the notifier consumes: every event of the bus (structured or binary "
            "CloudEvents; see docs/events.md). It publishes nothing."
        ),
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
