"""Make a service's OpenAPI document say every answer the service gives, and no more.

FastAPI documents a route's success and, when it has parameters, a 422. The answers that
come from the shared machinery are added here, the same way in every service:

- 401 and 403 (a Problem, with ``WWW-Authenticate``) on every route that needs a token;
  ``security: []`` on every public route, so that a reader (or a client generator) knows
  it needs none;
- 422 on every route: a NUL in any query parameter, or a body that is not JSON, is refused;
- 413 on every route that takes a body (:mod:`shared.runtime.body_limit`);
- 404 on every route with a path parameter; 503 on every API route (the database out of
  reach, :mod:`shared.runtime.http_errors`); 409 on every API write (data written by another
  request at the same moment);
- ``servers``: relative to where the document is served.

The schemas say what the validation enforces: a map whose keys follow a pattern takes no
other key (``additionalProperties: false``), and a string query parameter without a
pattern of its own says that a NUL is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
NO_NUL = r"^[^\x00]*$"
SERVERS = [{"url": "/", "description": "This service, where this document is served"}]
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
WRITES = ("put", "post", "delete", "patch")


def _problem(description: str, **headers: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": PROBLEM_REF}},
    }
    if headers:
        answer["headers"] = headers
    return answer


CHALLENGE = {
    "WWW-Authenticate": {"description": "The Bearer challenge", "schema": {"type": "string"}}
}
UNAUTHORIZED = _problem(
    "No bearer token, or one that is malformed, expired or from another issuer", **CHALLENGE
)
FORBIDDEN = _problem("The token lacks the scope this needs (named in `detail`)", **CHALLENGE)
TOO_LARGE = _problem("The request body exceeds the service's limit")
UNAVAILABLE = _problem("The database is out of reach; retry later")
CONFLICT = _problem("Conflicts with existing data (e.g. written at the same moment)")
NOT_FOUND = _problem("No such resource (or the caller may not see it)")


def install(app: FastAPI) -> None:
    """Complete the app's OpenAPI document when it is first generated (then it is cached)."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = generate()
        complete(document)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def complete(document: dict[str, Any]) -> None:
    document.setdefault("servers", SERVERS)
    for path, method, operation in _operations(document):
        responses = operation.setdefault("responses", {})
        if operation.get("security"):
            responses.setdefault("401", UNAUTHORIZED)
            responses.setdefault("403", FORBIDDEN)
        else:
            operation["security"] = []
        if "requestBody" in operation:
            responses.setdefault("413", TOO_LARGE)
        if "{" in path:
            responses.setdefault("404", NOT_FOUND)
        if path.startswith("/api/"):
            responses.setdefault("503", UNAVAILABLE)
            if method in WRITES:
                responses.setdefault("409", CONFLICT)
        responses.setdefault("422", _validation_error())
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "query":
                _refuse_nul(parameter.get("schema", {}))
    for schema in _subschemas(document.get("components", {}).get("schemas", {})):
        if "patternProperties" in schema and "additionalProperties" not in schema:
            schema["additionalProperties"] = False


def _validation_error() -> dict[str, Any]:
    return {
        "description": "A parameter or the body is malformed; each error names it",
        "content": {
            "application/json": {
                "schema": {
                    "anyOf": [{"$ref": "#/components/schemas/HTTPValidationError"}, PROBLEM_REF]
                }
            }
        },
    }


def _refuse_nul(schema: dict[str, Any]) -> None:
    """Add the NUL rule to every string (also inside ``anyOf``) that has no pattern."""
    for inner in [schema, *schema.get("anyOf", [])]:
        plain = not {"pattern", "enum", "format"} & inner.keys()
        if inner.get("type") == "string" and plain:
            inner["pattern"] = NO_NUL


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _subschemas(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from _subschemas(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _subschemas(inner)
