"""Request and response bodies of the notifier's API, with OpenAPI examples."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StrictBool,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from services.notifier.domain.digests import check_digest_day
from services.notifier.domain.errors import RuleViolation
from services.notifier.domain.recipients import Language, check_email, check_timezone
from services.notifier.domain.subscriptions import Channel, Mode, check_type_pattern
from services.notifier.domain.webhooks import check_url
from shared.contract.values import (
    DAY_AS_TEXT,
    PLAUSIBLE_YEARS,
    CommitteeCode,
    OrganizationCode,
    ShortText,
)

T = TypeVar("T")


def _checked(check: Callable[[T], T]) -> AfterValidator:
    def validate(value: T) -> T:
        try:
            return check(value)
        except RuleViolation as exc:
            raise ValueError(str(exc)) from exc

    return AfterValidator(validate)


Email = Annotated[str, Field(max_length=320), _checked(check_email)]
TimeZone = Annotated[str, Field(max_length=64), _checked(check_timezone)]
TypePattern = Annotated[str, Field(max_length=256), _checked(check_type_pattern)]
WebhookUrl = Annotated[str, Field(max_length=2000), _checked(check_url)]
DigestDay = Annotated[date, PLAUSIBLE_YEARS, DAY_AS_TEXT, _checked(check_digest_day)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Patch(Body):
    """Only the fields sent are changed; ``nullable`` names those that may be set to null."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _no_null_for_required(self) -> Patch:
        nulled = sorted(
            name for name in self.model_fields_set - self.nullable if getattr(self, name) is None
        )
        if nulled:
            raise ValueError(f"these fields cannot be null: {', '.join(nulled)}")
        if not self.model_fields_set:
            raise ValueError("send at least one field to change")
        return self

    def changes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set}

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The schema says what the validator enforces: at least one field, and null only
        for the ``nullable`` ones."""
        schema = handler.resolve_ref_schema(handler(core_schema))
        for name, field in schema.get("properties", {}).items():
            if name not in cls.nullable and "anyOf" in field:
                kinds = [kind for kind in field.pop("anyOf") if kind != {"type": "null"}]
                field.update(kinds[0] if len(kinds) == 1 else {"anyOf": kinds})
                field.pop("default", None)
        schema["minProperties"] = 1
        return schema


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class RecipientIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Leyla Həsənova",
                    "email": "leyla@example.gov.az",
                    "language": "az",
                    "timezone": "Asia/Baku",
                }
            ]
        },
    )

    name: ShortText
    email: Email
    language: Language = "en"
    timezone: TimeZone = "Asia/Baku"
    cleared: StrictBool = Field(
        default=False,
        description="Cleared for restricted data: only cleared recipients are told (always "
        "redacted: ids and a link) that a restricted record changed.",
    )


class RecipientPatch(Patch):
    name: ShortText | None = None
    email: Email | None = None
    language: Language | None = None
    timezone: TimeZone | None = None
    active: StrictBool | None = None
    cleared: StrictBool | None = None


class RecipientOut(Out):
    id: uuid.UUID
    name: str
    email: str
    language: str
    timezone: str
    active: bool
    cleared: bool
    created_at: datetime


class SubscriptionIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "recipient_id": "0b7e2c1a-7d3f-4c55-8f0e-6a9d2e4b1c01",
                    "channel": "email",
                    "event_type": "workplan.hearing.*",
                    "committee": "MM-IRIPT",
                    "mode": "immediate",
                }
            ]
        },
    )

    recipient_id: uuid.UUID
    channel: Channel
    event_type: TypePattern = Field(
        default="*", description="A type, a prefix ending in * (workplan.hearing.*), or *."
    )
    mode: Mode = "immediate"
    committee: CommitteeCode | None = None
    item_id: uuid.UUID | None = None
    organization: OrganizationCode | None = None


class OwnSubscriptionIn(Body):
    """A subscription a recipient makes for themself (the recipient is the token's)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"channel": "inbox", "event_type": "workplan.hearing.*", "committee": "MM-IRIPT"}
            ]
        },
    )

    channel: Channel
    event_type: TypePattern = Field(
        default="*", description="A type, a prefix ending in * (workplan.hearing.*), or *."
    )
    mode: Mode = "immediate"
    committee: CommitteeCode | None = None
    item_id: uuid.UUID | None = None
    organization: OrganizationCode | None = None


class PreferencesPatch(Patch):
    """What a recipient may change of their own record: language and time zone."""

    language: Language | None = None
    timezone: TimeZone | None = None


class SubscriptionPatch(Patch):
    nullable: ClassVar[frozenset[str]] = frozenset({"committee", "item_id", "organization"})

    event_type: TypePattern | None = None
    mode: Mode | None = None
    committee: CommitteeCode | None = None
    item_id: uuid.UUID | None = None
    organization: OrganizationCode | None = None
    muted: StrictBool | None = None


class SubscriptionOut(Out):
    id: uuid.UUID
    recipient_id: uuid.UUID
    channel: str
    event_type: str
    mode: str
    committee: str | None
    item_id: uuid.UUID | None
    organization: str | None
    muted: bool
    created_at: datetime


class WebhookEndpointIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "recipient_id": "0b7e2c1a-7d3f-4c55-8f0e-6a9d2e4b1c01",
                    "url": "https://events.example.gov.az/workplan",
                    "description": "Ministry calendar",
                }
            ]
        },
    )

    recipient_id: uuid.UUID
    url: WebhookUrl
    description: ShortText | None = None


class WebhookEndpointPatch(Patch):
    nullable: ClassVar[frozenset[str]] = frozenset({"description"})

    url: WebhookUrl | None = None
    description: ShortText | None = None
    enabled: StrictBool | None = None


class WebhookEndpointOut(Out):
    id: uuid.UUID
    recipient_id: uuid.UUID
    url: str
    description: str | None
    enabled: bool
    disabled_reason: str | None
    created_at: datetime


class WebhookEndpointWithSecret(WebhookEndpointOut):
    secret: str = Field(description="The signing secret; shown only when created or rotated.")


class MandatoryNoticeIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "event_type": "workplan.hearing.cancelled.*",
                    "description": "Everyone must hear of a cancelled hearing",
                }
            ]
        },
    )

    event_type: TypePattern
    committee: CommitteeCode | None = None
    description: ShortText | None = None


class MandatoryNoticeOut(Out):
    id: uuid.UUID
    event_type: str
    committee: str | None
    description: str | None
    created_at: datetime


class DeliveryOut(Out):
    id: uuid.UUID
    event_source: str
    event_id: str
    event_type: str
    kind: str
    recipient_id: uuid.UUID
    channel: str
    target: str
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    sent_at: datetime | None
    restricted: bool = Field(
        description="Of a restricted notice (listed only with `notifier:restricted`)."
    )


class AttemptOut(Out):
    attempt: int
    status: str
    detail: str | None
    at: datetime


class DeliveryDetailOut(DeliveryOut):
    journal: list[AttemptOut]


class NotificationOut(Out):
    id: uuid.UUID
    event_type: str
    subject: str | None
    title: str
    body: str
    link: str
    restricted: bool
    created_at: datetime
    read_at: datetime | None


class UnreadOut(BaseModel):
    unread: int


class MarkedOut(BaseModel):
    marked: int
