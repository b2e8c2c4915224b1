"""What the archive keeps of an event: the verbatim JSON, the fields queries need, its text.

Every event from an authorised source is kept, known type or not. For a known type the
data is validated against the contract first (an invalid payload is refused); for an
unknown type the fields are read best-effort, and the event is marked unknown.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from services.archive.domain.folding import fold
from services.archive.domain.morphology import stems_text
from services.archive.domain.projections import Projection, project
from shared.contract import EVENT_TYPES, CloudEvent, InvalidEvent, parse_data
from shared.contract.classification import classification_of

Mode = Literal["structured", "binary"]
MAX_TEXT = 100_000
"""Characters of text per search field; the rest is kept in the log but not indexed."""

_ORGANIZATION = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,39}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_NOT_TEXT_VALUE = re.compile(
    r"^(\d{4}-\d{2}-\d{2}([T ][0-9:.]+([zZ]|[+-]\d{2}:?\d{2})?)?"
    r"|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
)
_NOT_TEXT_KEYS = frozenset(
    {
        "timezone",
        "classification",
        "status",
        "previous_status",
        "format",
        "category",
        "changed",
        "committee",
        "session",
    }
)
_NOT_TEXT_SUFFIXES = ("_id", "_at", "_start", "_end")


SearchColumns = tuple[str, str, str, str, str]
"""Title and body folded (words as written); English text and Russian text (to stem); the
Azerbaijani stems, marked (see :func:`services.archive.domain.morphology.stems_text`)."""


@dataclass
class SearchText:
    """The text of an event by weight (title, the rest) and by how its words' other forms
    are found: English and Russian pieces (by language tag) through their stemmers,
    Azerbaijani and untagged pieces through :mod:`services.archive.domain.morphology`.
    """

    title: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    title_en: list[str] = field(default_factory=list)
    body_en: list[str] = field(default_factory=list)
    title_ru: list[str] = field(default_factory=list)
    body_ru: list[str] = field(default_factory=list)
    title_az: list[str] = field(default_factory=list)
    body_az: list[str] = field(default_factory=list)

    def add(self, text: str, *, language: str | None, title: bool) -> None:
        (self.title if title else self.body).append(text)
        if language is not None and (language == "en" or language.startswith("en-")):
            (self.title_en if title else self.body_en).append(text)
        elif language is not None and (language == "ru" or language.startswith("ru-")):
            (self.title_ru if title else self.body_ru).append(text)
        elif language is None or language == "az" or language.startswith("az-"):
            (self.title_az if title else self.body_az).append(text)

    def columns(self) -> SearchColumns:
        """(title folded, body folded, English text, Russian text, Azerbaijani stems)."""
        return (
            fold(_joined(self.title)),
            fold(_joined(self.body)),
            _joined([*self.title_en, *self.body_en]),
            _joined([*self.title_ru, *self.body_ru]),
            stems_text(fold(_joined([*self.title_az, *self.body_az]))),
        )


@dataclass(frozen=True)
class ArchivedEvent:
    """One event as the log keeps it."""

    source: str
    event_id: str
    type: str
    subject: str | None
    time: datetime
    sequence: int | None
    known: bool
    mode: Mode
    envelope: str
    committee: str | None
    session: str | None
    organizations: tuple[str, ...]
    classification: str
    """As the contract reads it: a missing one is the default, an unknown one restricted."""
    item_id: uuid.UUID | None
    search: SearchColumns
    projection: Projection | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.event_id)


def archived(event: CloudEvent, *, body: bytes, mode: Mode, received_at: datetime) -> ArchivedEvent:
    """The log record of an event; raises :class:`InvalidEvent` for invalid known data."""
    known = event.type in EVENT_TYPES
    data = event.data
    # a known type's data must match the contract: an invalid payload is refused, with the reason
    parsed = parse_data(event.type, data) if known else None
    fields = data if isinstance(data, dict) else {}
    time = event.time or received_at
    return ArchivedEvent(
        source=event.source,
        event_id=event.id,
        type=event.type,
        subject=event.subject,
        time=time,
        sequence=event.sequence_number,
        known=known,
        mode=mode,
        envelope=verbatim_envelope(event, body, mode),
        committee=_text_field(fields, "committee"),
        session=_text_field(fields, "session"),
        organizations=_organizations(fields),
        classification=_classification(fields),
        item_id=_item_id(fields),
        search=search_text(data).columns(),
        projection=project(event, parsed, time) if parsed is not None else None,
    )


def verbatim_envelope(event: CloudEvent, body: bytes, mode: Mode) -> str:
    """The event's JSON as received.

    Structured mode: the message body, byte for byte (UTF-8). Binary mode: the envelope
    rebuilt as a structured-mode object from the ``ce-`` headers, with ``data`` being the
    message body exactly as received.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidEvent(f"the event body is not UTF-8: {exc}") from exc
    if mode == "structured":
        return text
    attributes = event.to_json_dict()
    attributes.pop("data", None)
    head = json.dumps(attributes, ensure_ascii=False, separators=(",", ":"))
    if not text.strip():
        return head
    return f'{head[:-1]},"data":{text}}}'


def search_text(data: Any) -> SearchText:
    """Every piece of text in the data, by language where the data says which."""
    found = SearchText()
    _collect(data, found, title=False)
    return found


def _collect(value: Any, found: SearchText, *, title: bool) -> None:
    if isinstance(value, str):
        if value.strip() and not _NOT_TEXT_VALUE.match(value):
            found.add(value, language=None, title=title)
    elif isinstance(value, dict):
        if value and all(
            isinstance(k, str) and _is_language(k) and isinstance(v, str) for k, v in value.items()
        ):
            for language, text in value.items():
                found.add(text, language=language, title=title)
            return
        for name, inner in value.items():
            if _is_text_key(name):
                _collect(inner, found, title=title or name == "title")
    elif isinstance(value, list):
        for inner in value:
            _collect(inner, found, title=title)


_MEMO_LIMIT = 4096
"""Entries per memo below (keys of at most 64 characters): the keys, language tags and
codes events use are few; a flood of new ones only stops memoising, never changes an
answer."""
_TEXT_KEYS: dict[str, bool] = {}
_LANGUAGES: dict[str, bool] = {}
_ORGANIZATIONS: dict[str, bool] = {}


def _memo(memo: dict[str, bool], key: str, compute: Any) -> bool:
    answer = memo.get(key)
    if answer is None:
        answer = bool(compute(key))
        if len(memo) < _MEMO_LIMIT and len(key) <= 64:
            memo[key] = answer
    return answer


def _is_language(tag: str) -> bool:
    return _memo(_LANGUAGES, tag, _LANGUAGE.match)


def _is_text_key(name: object) -> bool:
    return isinstance(name, str) and _memo(_TEXT_KEYS, name, _text_key)


def _text_key(name: str) -> bool:
    return name not in _NOT_TEXT_KEYS and not name.endswith(_NOT_TEXT_SUFFIXES)


def _is_organization(code: object) -> bool:
    return isinstance(code, str) and _memo(_ORGANIZATIONS, code, _ORGANIZATION.match)


def _joined(parts: list[str]) -> str:
    return "\n".join(parts)[:MAX_TEXT]


def _text_field(fields: dict[str, Any], name: str) -> str | None:
    value = fields.get(name)
    return value[:200] if isinstance(value, str) and value else None


def _organizations(fields: dict[str, Any]) -> tuple[str, ...]:
    codes = fields.get("organizations")
    if not isinstance(codes, list):
        return ()
    return tuple(dict.fromkeys([code for code in codes if _is_organization(code)]))


def _classification(fields: dict[str, Any]) -> str:
    return classification_of(fields.get("classification"))


def _item_id(fields: dict[str, Any]) -> uuid.UUID | None:
    value = fields.get("item_id")
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
