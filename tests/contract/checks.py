"""A schemathesis check of our own, loaded with ``SCHEMATHESIS_HOOKS=tests.contract.checks``."""

from __future__ import annotations

from typing import Any

import schemathesis

RULES_NO_SCHEMA_STATES = {"value_error"}
"""Validation errors that come from a rule of the domain (a validator's ``ValueError``):
an e-mail address, a time zone, a year range, an event-type pattern."""


@schemathesis.check
def refusals_name_a_rule(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 422 to a request the schema allows names a rule the schema cannot state: a Problem
    (``detail`` in words) or only ``value_error`` entries, never a missing field, a wrong
    type or a pattern the schema should have declared."""
    meta = case.meta
    if response.status_code != 422 or meta is None or not meta.generation.mode.is_positive:
        return None
    detail = response.json().get("detail")
    if isinstance(detail, str):
        return None
    kinds = {error.get("type") for error in detail}
    if not kinds <= RULES_NO_SCHEMA_STATES:
        raise AssertionError(
            f"a schema-valid request was refused for {sorted(kinds)}: the schema should say so"
            f"\n{response.text[:500]}"
        )
    return None
