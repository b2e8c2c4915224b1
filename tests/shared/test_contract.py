"""The public event contract, as a consumer on the bus meets it: no services needed."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from shared.contract import (
    EVENT_TYPES,
    CloudEvent,
    EventData,
    InvalidEvent,
    new_event,
    parse_data,
)
from shared.contract.amqp_binding import STRUCTURED_CONTENT_TYPE, decode_message, encode_structured
from shared.contract.documents import render_data_schemas
from shared.contract.hearings import (
    HearingCancelled,
    HearingHeld,
    HearingReclassified,
    HearingRescheduled,
    HearingScheduled,
)
from shared.contract.items import ItemCreated, ItemStatusChanged, ItemUpdated
from shared.contract.meetings import MeetingHeld, MeetingReclassified
from shared.contract.values import Participant

SOURCE = "urn:workplan:planner"
ITEM_ID = uuid.UUID("0b0f5a52-52f4-4a8c-8a3b-2f0f3d3a9a11")
HEARING_ID = uuid.UUID("6d1e2c77-7a0b-4d43-9a56-1c9e3f1b2d22")
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def item_fields(**overrides: Any) -> dict[str, Any]:
    return {
        "item_id": ITEM_ID,
        "committee": "MM-IRIPT",
        "session": "2026-spring",
        "ref": "pace-april-part-session",
        "title": {"az": "AŞPA-nın aprel sessiyası", "en": "PACE April part-session"},
        "category": "delegation_support",
        "organizations": ["PACE"],
        "owners": ["Head of the delegation to PACE"],
        "period_start": date(2026, 4, 20),
        "period_end": date(2026, 4, 24),
        "status": "planned",
        "classification": "public",
        "tags": ["pace"],
        **overrides,
    }


def hearing_fields(**overrides: Any) -> dict[str, Any]:
    return {
        "hearing_id": HEARING_ID,
        "item_id": ITEM_ID,
        "committee": "MM-IRIPT",
        "session": "2026-spring",
        "classification": "public",
        "title": {"en": "Hearing on the Justice for Khojaly campaign"},
        "starts_at": datetime(2026, 3, 12, 7, 0, tzinfo=UTC),
        "ends_at": datetime(2026, 3, 12, 9, 0, tzinfo=UTC),
        "timezone": "Asia/Baku",
        "location": "Milli Majlis, Hall 2",
        "witnesses": [{"name": "A. Aliyeva", "position": "Researcher"}],
        "status": "scheduled",
        **overrides,
    }


def example_payloads() -> dict[str, EventData]:
    """One realistic payload of every event type of the contract."""
    examples: list[EventData] = [
        ItemCreated(**item_fields()),
        ItemUpdated(**item_fields(owners=["Committee chair"]), changed=["owners"]),
        ItemStatusChanged(
            **item_fields(status="in_progress"), previous_status="planned", reason="Started"
        ),
        HearingScheduled(**hearing_fields()),
        HearingRescheduled(
            **hearing_fields(
                status="rescheduled",
                starts_at=datetime(2026, 3, 19, 7, 0, tzinfo=UTC),
                ends_at=datetime(2026, 3, 19, 9, 0, tzinfo=UTC),
            ),
            previous_starts_at=datetime(2026, 3, 12, 7, 0, tzinfo=UTC),
            previous_ends_at=datetime(2026, 3, 12, 9, 0, tzinfo=UTC),
            previous_location="Milli Majlis, Hall 2",
            reason="Rapporteur abroad",
        ),
        HearingCancelled(**hearing_fields(status="cancelled"), reason="Witnesses unavailable"),
        HearingHeld(
            **hearing_fields(status="held"),
            held_at=datetime(2026, 3, 12, 9, 5, tzinfo=UTC),
            summary={"en": "Three witnesses were heard."},
        ),
        HearingReclassified(
            **hearing_fields(status="cancelled", classification="restricted"),
            previous_classification="internal",
            reason="Witnesses unavailable",
        ),
        MeetingHeld(
            meeting_id="mfa-2026-0218",
            organizations=["MFA"],
            held_at=datetime(2026, 2, 18, 6, 0, tzinfo=UTC),
            title={"en": "Briefing by the Ministry of Foreign Affairs"},
            participants=[Participant(name="Deputy minister", role="speaker")],
            reported_by="MFA protocol department",
        ),
        MeetingReclassified(
            meeting_id="5d0c9a1e-7b2f-4f3a-9c8d-1e2f3a4b5c6d",
            organizations=["MFA"],
            held_at=datetime(2026, 2, 18, 6, 0, tzinfo=UTC),
            title={"en": "Briefing by the Ministry of Foreign Affairs"},
            classification="restricted",
            previous_classification="internal",
        ),
    ]
    return {payload.event_type: payload for payload in examples}


def binary_headers(prefix: str = "ce-", **overrides: Any) -> dict[str, Any]:
    headers: dict[str, Any] = {
        f"{prefix}specversion": "1.0",
        f"{prefix}id": "evt-1",
        f"{prefix}source": "urn:test:gov:mfa",
        f"{prefix}type": "workplan.meeting.held.v1",
        f"{prefix}subject": "meeting/mfa-2026-0218",
    }
    headers.update({f"{prefix}{name}": value for name, value in overrides.items()})
    return {key: value for key, value in headers.items() if value is not None}


MEETING_DATA = {
    "meeting_id": "mfa-2026-0218",
    "organizations": ["MFA"],
    "held_at": "2026-02-18T10:00:00+04:00",
}


# --- structured mode ---------------------------------------------------------------------------


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_structured_round_trip_gives_back_the_same_event_and_payload(event_type):
    payload = example_payloads()[event_type]
    event = new_event(payload, source=SOURCE, sequence=4, traceparent=TRACEPARENT)

    decoded = decode_message(encode_structured(event), None, STRUCTURED_CONTENT_TYPE)

    assert decoded == event
    assert decoded.sequence_number == 4
    assert parse_data(decoded.type, decoded.data) == payload


def test_structured_mode_accepts_a_charset_parameter_and_keeps_unknown_extensions():
    event = new_event(example_payloads()["workplan.item.created.v1"], source=SOURCE)
    body = json.loads(encode_structured(event))
    body["partitionkey"] = "MM-IRIPT"

    decoded = decode_message(
        json.dumps(body).encode(), {}, "application/cloudevents+json; charset=utf-8"
    )

    assert decoded.id == event.id
    assert decoded.to_json_dict()["partitionkey"] == "MM-IRIPT"


def test_structured_body_that_is_not_json_is_refused_saying_so():
    with pytest.raises(InvalidEvent) as refused:
        decode_message(b"{not json", None, STRUCTURED_CONTENT_TYPE)
    assert "not valid JSON" in refused.value.reason


def test_structured_body_that_is_a_json_array_is_refused():
    with pytest.raises(InvalidEvent) as refused:
        decode_message(b"[1, 2]", None, STRUCTURED_CONTENT_TYPE)
    assert "must be a JSON object" in refused.value.reason


def test_data_base64_is_refused_because_data_must_be_json():
    event = new_event(example_payloads()["workplan.meeting.held.v1"], source=SOURCE)
    body = event.to_json_dict()
    del body["data"]
    body["data_base64"] = "eyJhIjogMX0="

    with pytest.raises(InvalidEvent) as refused:
        decode_message(json.dumps(body).encode(), None, STRUCTURED_CONTENT_TYPE)

    assert "data_base64" in refused.value.reason
    assert "JSON" in refused.value.reason


def test_structured_event_with_wrong_specversion_names_the_attribute():
    event = new_event(example_payloads()["workplan.meeting.held.v1"], source=SOURCE)
    body = {**event.to_json_dict(), "specversion": "0.3"}

    with pytest.raises(InvalidEvent) as refused:
        decode_message(json.dumps(body).encode(), None, STRUCTURED_CONTENT_TYPE)

    assert refused.value.code == "invalid_envelope"
    assert "specversion" in refused.value.reason


# --- binary mode -------------------------------------------------------------------------------


def test_binary_mode_with_bytes_and_str_headers_and_an_int_sequence_decodes():
    headers = {
        "ce-specversion": b"1.0",
        "ce-id": "evt-1",
        "ce-source": b"urn:test:gov:mfa",
        "ce-type": "workplan.meeting.held.v1",
        "ce-subject": bytearray(b"meeting/mfa-2026-0218"),
        "ce-time": datetime(2026, 2, 18, 7, 0, tzinfo=UTC),
        "ce-sequence": 7,
        "x-unrelated": "ignored",
    }

    event = decode_message(json.dumps(MEETING_DATA).encode(), headers, "application/json")

    assert (event.id, event.source, event.type) == (
        "evt-1",
        "urn:test:gov:mfa",
        "workplan.meeting.held.v1",
    )
    assert event.subject == "meeting/mfa-2026-0218"
    assert event.time == datetime(2026, 2, 18, 7, 0, tzinfo=UTC)
    assert event.sequence == "7"
    assert event.sequence_number == 7
    assert event.datacontenttype == "application/json"
    assert event.data == MEETING_DATA
    assert "x-unrelated" not in event.to_json_dict()
    data = parse_data(event.type, event.data)
    assert isinstance(data, MeetingHeld)
    assert data.held_at == datetime(2026, 2, 18, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize("prefix", ["cloudEvents:", "cloudEvents_", "ce_", "CE-"])
def test_binary_mode_accepts_the_amqp_binding_prefixes(prefix):
    headers = binary_headers(prefix, sequence="2")

    event = decode_message(json.dumps(MEETING_DATA).encode(), headers, "application/json")

    assert event.id == "evt-1"
    assert event.type == "workplan.meeting.held.v1"
    assert event.sequence_number == 2
    assert event.data == MEETING_DATA


def test_binary_mode_without_content_type_assumes_json():
    event = decode_message(json.dumps(MEETING_DATA).encode(), binary_headers(), None)

    assert event.datacontenttype == "application/json"
    assert event.data == MEETING_DATA


def test_binary_mode_with_a_json_suffix_media_type_is_accepted():
    event = decode_message(
        json.dumps(MEETING_DATA).encode(), binary_headers(), "application/vnd.workplan+json"
    )
    assert event.data == MEETING_DATA


def test_binary_mode_without_ce_id_is_refused_naming_id():
    headers = binary_headers(id=None)

    with pytest.raises(InvalidEvent) as refused:
        decode_message(json.dumps(MEETING_DATA).encode(), headers, "application/json")

    assert refused.value.code == "invalid_envelope"
    assert "id: Field required" in refused.value.reason
    assert "binary" in refused.value.reason


def test_text_plain_without_ce_headers_is_not_a_cloudevent():
    with pytest.raises(InvalidEvent) as refused:
        decode_message(b"hello", {"x-trace": "1"}, "text/plain")

    assert refused.value.code == "not_cloudevent"
    assert "text/plain" in refused.value.reason
    assert "ce- headers" in refused.value.reason


@pytest.mark.parametrize(
    ("content_type", "extra"),
    [("text/plain", {}), ("application/json", {"datacontenttype": "application/xml"})],
)
def test_binary_mode_with_non_json_data_is_refused(content_type, extra):
    headers = binary_headers(**extra)

    with pytest.raises(InvalidEvent) as refused:
        decode_message(b"<meeting/>", headers, content_type)

    assert "is not accepted: event data must be JSON" in refused.value.reason


def test_binary_body_that_is_not_json_is_refused_saying_so():
    with pytest.raises(InvalidEvent) as refused:
        decode_message(b"{'single': 'quotes'}", binary_headers(), "application/json")
    assert "binary CloudEvent body is not valid JSON" in refused.value.reason


def test_binary_header_that_is_not_utf8_is_refused():
    headers = binary_headers(id=b"\xff\xfe")

    with pytest.raises(InvalidEvent) as refused:
        decode_message(json.dumps(MEETING_DATA).encode(), headers, "application/json")

    assert "not UTF-8" in refused.value.reason


def test_oversized_body_is_refused_before_parsing():
    with pytest.raises(InvalidEvent) as refused:
        decode_message(b" " * 1_048_577, None, STRUCTURED_CONTENT_TYPE)
    assert "exceeds" in refused.value.reason


# Messages a publisher can send that escape decode_message as something other than
# InvalidEvent: the consumer then nacks and redelivers them instead of dead-lettering them
# at once with a reason (see shared/messaging/intake.py).
@pytest.mark.parametrize(
    ("body", "headers", "content_type"),
    [
        (b"1" * 5000, None, STRUCTURED_CONTENT_TYPE),
        (b"1" * 5000, binary_headers(), "application/json"),
        (b"[" * 100_000, None, STRUCTURED_CONTENT_TYPE),
    ],
    ids=["structured-huge-int", "binary-huge-int", "structured-deep-nesting"],
)
def test_pathological_json_is_refused_as_invalid_event(body, headers, content_type):
    with pytest.raises(InvalidEvent):
        decode_message(body, headers, content_type)


def test_non_text_datacontenttype_header_is_refused_as_invalid_event():
    with pytest.raises(InvalidEvent):
        decode_message(b"{}", binary_headers(datacontenttype=5), None)


# --- whatever arrives, the answer is an event or InvalidEvent ----------------------------------

ATTRIBUTE_NAMES = st.sampled_from(
    [
        "specversion",
        "id",
        "source",
        "type",
        "subject",
        "time",
        "sequence",
        "datacontenttype",
        "dataschema",
        "traceparent",
        "data",
    ]
)
HEADER_KEYS = st.one_of(
    st.builds(
        lambda prefix, name: prefix + name,
        st.sampled_from(["ce-", "cloudEvents:"]),
        ATTRIBUTE_NAMES,
    ),
    st.text(max_size=20),
)
HEADER_VALUES = st.one_of(
    st.sampled_from(["1.0", "urn:test", "workplan.meeting.held.v1", "3", "-1", ""]),
    st.text(max_size=40),
)
CONTENT_TYPES = st.one_of(
    st.none(),
    st.sampled_from(
        [STRUCTURED_CONTENT_TYPE, "application/json", "text/plain", "application/x+json"]
    ),
    st.text(max_size=30),
)
BODIES = st.one_of(
    st.binary(max_size=300),
    st.just(json.dumps(MEETING_DATA).encode()),
    st.builds(lambda obj: json.dumps(obj).encode(), st.dictionaries(ATTRIBUTE_NAMES, st.text())),
)


RANDOM_HEADERS = st.dictionaries(HEADER_KEYS, HEADER_VALUES, max_size=6)
HEADERS = st.one_of(
    RANDOM_HEADERS,
    # a complete binary envelope, then disturbed: most messages get far into the decoder
    st.builds(lambda extra: {**binary_headers(), **extra}, RANDOM_HEADERS),
)


@settings(
    max_examples=500, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(body=BODIES, headers=HEADERS, content_type=CONTENT_TYPES)
def test_decode_message_returns_an_event_or_raises_invalid_event_and_nothing_else(
    body, headers, content_type
):
    outcome: CloudEvent | InvalidEvent
    try:
        outcome = decode_message(body, headers, content_type)
    except InvalidEvent as refused:
        outcome = refused
    if isinstance(outcome, InvalidEvent):
        assert outcome.reason
        assert outcome.code
    else:
        assert isinstance(outcome, CloudEvent)
        assert outcome.specversion == "1.0"


# --- structured mode read in one pass, exactly as the standard library reads it ---------------


def _standard_reading(body: bytes) -> str:
    """What decode_message answered before it read structured bodies with pydantic's parser:
    ``json.loads``, then the envelope validated from Python objects."""
    try:
        obj = json.loads(body)
    except (ValueError, RecursionError):
        return "refused"
    if not isinstance(obj, dict) or "data_base64" in obj:
        return "refused"
    try:
        event = CloudEvent.model_validate(obj)
    except ValidationError:
        return "refused"
    return json.dumps(event.model_dump(mode="python"), default=str, sort_keys=True)


def _reading(body: bytes) -> str:
    try:
        event = decode_message(body, None, STRUCTURED_CONTENT_TYPE)
    except InvalidEvent:
        return "refused"
    return json.dumps(event.model_dump(mode="python"), default=str, sort_keys=True)


ENVELOPE = {
    "specversion": "1.0",
    "id": "e-1",
    "source": "urn:test",
    "type": "workplan.meeting.held.v1",
}
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, database=None)
@given(
    attributes=st.dictionaries(ATTRIBUTE_NAMES, JSON_VALUES, max_size=5),
    data=JSON_VALUES,
    keep=st.booleans(),
)
def test_a_structured_body_is_read_as_the_standard_library_reads_it(attributes, data, keep):
    body = json.dumps({**(ENVELOPE if keep else {}), **attributes, "data": data}).encode()
    assert _reading(body) == _standard_reading(body)


@pytest.mark.parametrize(
    "body",
    [
        b'{"specversion":"1.0","id":"a","id":"b","source":"s","type":"t"}',  # last key wins
        b'{"specversion":"1.0","id":"a","source":"s","type":"t","data":"\\ud800"}',  # surrogate
        b'{"specversion":"1.0","id":"a","source":"s","type":"t","data":NaN}',
        b'{"specversion":"1.0","id":"a","source":"s","type":"t","data":1e400}',
        b'{"specversion":"1.0","id":"a","source":"s","type":"t","data":' + b"9" * 40 + b"}",
        b'{"specversion":"1.0","id":"a","source":"s","type":"t","data":"a\x01b"}',
        b"\xef\xbb\xbf" + b'{"specversion":"1.0","id":"a","source":"s","type":"t"}',  # BOM
        b'{"specversion":"1.0","id":"a","source":"s","type":"t"} trailing',
        b'{"specversion":"1.0","id":"a","source":"s","type":"t","data":'
        + b"[" * 300
        + b"]" * 300
        + b"}",  # deeper than pydantic's parser goes
        b'{"specversion":"1.0","id":"a","source":"s","type":"t","data_base64":"e30="}',
        b'{"specversion":"2.0","id":"a","source":"s","type":"t","data_base64":"e30="}',
        json.dumps({**ENVELOPE, "time": "2026-03-01T10:00:00+04:00", "sequence": 7}).encode(),
        json.dumps({**ENVELOPE, "time": "2026-03-01T10:00:00"}).encode(),  # no zone: refused
        '{"specversion":"1.0","id":"a","source":"s","type":"t"}'.encode("utf-16"),
    ],
)
def test_edge_cases_of_structured_bodies_are_read_as_before(body):
    assert _reading(body) == _standard_reading(body)


def test_a_refused_structured_body_gives_the_same_reason_as_before():
    body = json.dumps({**ENVELOPE, "specversion": "0.3"}).encode()
    with pytest.raises(InvalidEvent) as refused:
        decode_message(body, None, STRUCTURED_CONTENT_TYPE)
    assert refused.value.code == "invalid_envelope"
    assert refused.value.reason.startswith("invalid structured CloudEvent envelope: specversion")


# --- payloads ----------------------------------------------------------------------------------


def test_parse_data_of_an_unknown_type_is_refused_with_code_unknown_type():
    with pytest.raises(InvalidEvent) as refused:
        parse_data("workplan.item.exploded.v1", {})

    assert refused.value.code == "unknown_type"
    assert "workplan.item.exploded.v1" in refused.value.reason


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"held_at": "2026-02-18T10:00:00"}, "held_at"),  # no offset
        ({"organizations": []}, "organizations"),
        ({"organizations": ["mfa"]}, "organizations.0"),
        ({"colour": "blue"}, "colour"),
        ({"meeting_id": None}, "meeting_id"),
    ],
)
def test_invalid_payload_is_refused_with_code_invalid_data_naming_the_field(change, field):
    with pytest.raises(InvalidEvent) as refused:
        parse_data("workplan.meeting.held.v1", {**MEETING_DATA, **change})

    assert refused.value.code == "invalid_data"
    assert refused.value.reason.startswith("data of workplan.meeting.held.v1 is invalid")
    assert f"{field}:" in refused.value.reason


def test_payload_missing_a_required_field_names_it():
    data = example_payloads()["workplan.hearing.cancelled.v1"].model_dump(mode="json")
    del data["reason"]

    with pytest.raises(InvalidEvent) as refused:
        parse_data("workplan.hearing.cancelled.v1", data)

    assert "reason: Field required" in refused.value.reason


# --- the envelope ------------------------------------------------------------------------------


def envelope(**overrides: Any) -> CloudEvent:
    fields = {"specversion": "1.0", "id": "e1", "source": SOURCE, "type": "workplan.x.v1"}
    return CloudEvent(**{**fields, **overrides})


@pytest.mark.parametrize("value", ["3", 3])
def test_sequence_accepts_a_decimal_string_or_an_int(value):
    event = envelope(sequence=value)
    assert event.sequence == "3"
    assert event.sequence_number == 3


@pytest.mark.parametrize("value", ["-1", "abc", "1.5", "", "1" * 19, True, -1])
def test_sequence_refuses_what_is_not_a_non_negative_decimal(value):
    with pytest.raises(ValidationError) as refused:
        envelope(sequence=value)
    assert refused.value.errors()[0]["loc"] == ("sequence",)


def test_a_negative_sequence_header_is_refused_as_an_invalid_envelope():
    with pytest.raises(InvalidEvent) as refused:
        decode_message(
            json.dumps(MEETING_DATA).encode(), binary_headers(sequence="-1"), "application/json"
        )
    assert "sequence" in refused.value.reason


def test_new_event_takes_subject_type_and_dataschema_from_the_payload():
    payload = example_payloads()["workplan.hearing.scheduled.v1"]

    event = new_event(payload, source=SOURCE, sequence=1)
    other = new_event(payload, source=SOURCE, sequence=1)

    assert event.type == "workplan.hearing.scheduled.v1"
    assert event.subject == f"hearing/{HEARING_ID}"
    assert event.dataschema == "urn:workplan:schema:workplan.hearing.scheduled.v1"
    assert event.datacontenttype == "application/json"
    assert event.source == SOURCE
    assert event.sequence == "1"
    assert event.time is not None
    assert event.time.tzinfo is not None
    assert event.id != other.id
    assert event.data["starts_at"] == "2026-03-12T07:00:00Z"
    assert event.key == (SOURCE, event.id)


def test_new_event_without_sequence_leaves_it_out_of_the_json():
    event = new_event(example_payloads()["workplan.meeting.held.v1"], source=SOURCE)

    assert event.sequence is None
    assert event.subject == "meeting/mfa-2026-0218"
    assert "sequence" not in event.to_json_dict()


# --- JSON Schemas of the payloads --------------------------------------------------------------

BASE_ITEM = {"item_id", "committee", "session", "title", "category", "status", "classification"}
BASE_HEARING = {
    "hearing_id",
    "item_id",
    "committee",
    "session",
    "classification",
    "title",
    "starts_at",
    "ends_at",
    "timezone",
    "status",
}
REQUIRED = {
    "workplan.item.created.v1": BASE_ITEM,
    "workplan.item.updated.v1": BASE_ITEM | {"changed"},
    "workplan.item.status_changed.v1": BASE_ITEM | {"previous_status"},
    "workplan.hearing.scheduled.v1": BASE_HEARING,
    "workplan.hearing.rescheduled.v1": BASE_HEARING | {"previous_starts_at", "previous_ends_at"},
    "workplan.hearing.cancelled.v1": BASE_HEARING | {"reason"},
    "workplan.hearing.held.v1": BASE_HEARING | {"held_at"},
    "workplan.hearing.reclassified.v1": BASE_HEARING | {"previous_classification"},
    "workplan.meeting.held.v1": {"meeting_id", "organizations", "held_at"},
    "workplan.meeting.reclassified.v1": {
        "meeting_id",
        "organizations",
        "held_at",
        "previous_classification",
    },
}


def test_there_is_one_json_schema_per_event_type():
    schemas = render_data_schemas()

    assert len(schemas) == 10
    assert set(schemas) == {f"{event_type}.json" for event_type in EVENT_TYPES}
    assert set(REQUIRED) == set(EVENT_TYPES)


@pytest.mark.parametrize("event_type", sorted(REQUIRED))
def test_json_schema_describes_the_payload_and_fits_the_example(event_type):
    schema = json.loads(render_data_schemas()[f"{event_type}.json"])
    model = EVENT_TYPES[event_type]
    example = example_payloads()[event_type].model_dump(mode="json", exclude_none=True)

    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == new_event(example_payloads()[event_type], source=SOURCE).dataschema
    assert schema["title"] == event_type
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(model.model_fields)
    assert set(schema["required"]) == REQUIRED[event_type]
    # what a consumer validating with the schema would check of the example
    assert set(example) <= set(schema["properties"])
    assert set(schema["required"]) <= set(example)
