"""The notifier's composition root: the one place that builds and wires its dependencies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from services.notifier.adapters.delivery_queue import SqlDeliveryQueue
from services.notifier.adapters.mail_renderer import JinjaNoticeRenderer
from services.notifier.adapters.mail_server_watch import MailServerWatch
from services.notifier.adapters.orm import start_mappers
from services.notifier.adapters.retention import NotifierRetention
from services.notifier.adapters.smtp_mailer import SmtpMailer
from services.notifier.adapters.unit_of_work import SqlUnitOfWork
from services.notifier.adapters.unsubscribe_tokens import UnsubscribeTokens
from services.notifier.adapters.wake_up import DeliveryWakeUp
from services.notifier.adapters.webhook_sender import HttpWebhookSender
from services.notifier.domain.deliveries import RetrySchedule
from services.notifier.handlers.notify import NoticeSettings
from services.notifier.settings import NotifierSettings
from shared.db.engine import asyncpg_dsn, create_engine, create_session_factory
from shared.messaging.dead_letters import DeadLetterSender
from shared.messaging.publisher import ConfirmingPublisher
from shared.messaging.publisher_policy import PublisherPolicy, configured_policy
from shared.messaging.topology import ConsumerBinding, Topology

SERVICE = "notifier"
BINDING = ConsumerBinding(SERVICE, routing_key="#")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Notifier:
    settings: NotifierSettings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    publisher: ConfirmingPublisher
    topology: Topology
    policy: PublisherPolicy
    dead_letters: DeadLetterSender
    renderer: JinjaNoticeRenderer
    tokens: UnsubscribeTokens
    queue: SqlDeliveryQueue
    schedule: RetrySchedule
    notice_settings: NoticeSettings
    retention: NotifierRetention
    wake_up: DeliveryWakeUp
    mail_watch: MailServerWatch
    clock: Callable[[], datetime] = utc_now

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.session_factory)

    def mailer(self, connections: int | None = None) -> SmtpMailer:
        """A fresh SMTP connection pool (each delivery worker owns one); every pool tells
        the one :class:`MailServerWatch` whether the server answers."""
        settings = self.settings
        return SmtpMailer(
            host=settings.smtp_host,
            port=settings.smtp_port,
            envelope_from=settings.mail_from,
            username=settings.smtp_username,
            password=(
                settings.smtp_password.get_secret_value() if settings.smtp_password else None
            ),
            starttls=settings.smtp_starttls,
            tls=settings.smtp_tls,
            timeout=settings.smtp_timeout,
            connections=connections or settings.smtp_connections,
            watch=self.mail_watch,
        )

    def webhooks(self) -> HttpWebhookSender:
        return HttpWebhookSender(
            timeout=self.settings.webhook_timeout,
            concurrency=self.settings.webhook_concurrency,
        )


def bootstrap(settings: NotifierSettings) -> Notifier:
    start_mappers()
    database_url = settings.database_url.get_secret_value()
    engine = create_engine(
        database_url,
        application_name=SERVICE,
        pool_size=settings.database_pool_size,
        custom_plans=False,  # deliveries, notices and subscriptions by key: generic plans
        pre_ping=False,  # the intake and the deliveries write again through an outage
    )
    topology = Topology(
        settings.broker_prefix,
        delivery_limit=settings.delivery_limit,
        partitions=settings.queue_partitions,
    )
    publisher = ConfirmingPublisher(
        settings.amqp_url.get_secret_value(), timeout=settings.publish_timeout, app_id=SERVICE
    )
    tokens = UnsubscribeTokens(settings.jwt_secret.get_secret_value())
    return Notifier(
        settings=settings,
        engine=engine,
        session_factory=create_session_factory(engine),
        publisher=publisher,
        topology=topology,
        policy=configured_policy(settings),
        dead_letters=DeadLetterSender(publisher, topology, SERVICE),
        renderer=JinjaNoticeRenderer(
            mail_from=settings.mail_from,
            mail_from_name=settings.mail_from_name,
            public_base_url=settings.public_base_url,
            tokens=tokens,
        ),
        tokens=tokens,
        queue=SqlDeliveryQueue(engine),
        schedule=RetrySchedule(tuple(settings.delivery_retry_schedule)),
        notice_settings=NoticeSettings(
            links_base_url=settings.links_base,
            organizer_email=settings.mail_from,
            organizer_name=settings.mail_from_name,
        ),
        retention=NotifierRetention(
            engine,
            inbox_days=settings.inbox_retention_days,
            delivery_days=settings.delivery_retention_days,
        ),
        wake_up=DeliveryWakeUp(
            asyncpg_dsn(database_url), retry_seconds=settings.delivery_poll_interval
        ),
        mail_watch=MailServerWatch(f"{settings.smtp_host}:{settings.smtp_port}"),
    )
