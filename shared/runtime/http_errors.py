"""How every service's API answers what it cannot serve: a precise 4xx for bad input,
503 while the database is out of reach; never a 500 for either.

- Bad input: FastAPI's 422 (each error names the parameter or field; a body that cannot
  be parsed at all is a 422 too, not FastAPI's bare 400), at most 20 errors, each echoing
  only a bounded, printable part of its input — a lone surrogate, a non-finite number, a
  deeply nested or huge body would otherwise break or swamp the error response itself. A
  NUL character is refused in every query parameter (PostgreSQL cannot store or compare it
  in text). Bodies over ``max_request_bytes`` are a 413 (:mod:`shared.runtime.body_limit`).
- The database refusing a statement or being unreachable (connection refused, reset,
  timed out): 503 with a message saying which. Any other error is a bug: 500, logged.
"""

from __future__ import annotations

import itertools
import logging
import math
import socket
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException
from starlette.routing import Match

log = logging.getLogger(__name__)

UNAVAILABLE = "the database is unavailable; retry later"
UNPARSABLE_BODY = "There was an error parsing the body"
"""FastAPI's words for a body it cannot parse."""
MAX_ERRORS_SHOWN = 20
ECHO_DEPTH, ECHO_ITEMS, ECHO_CHARACTERS = 3, 10, 200
"""How much of a refused input a 422 echoes: enough to recognise it, never all of it."""


PROBLEM_SCHEMA = {
    "title": "Problem",
    "type": "object",
    "description": "A refusal in words: a rule of the domain, a bad cursor, a clash.",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "title": "Detail"},
        "error": {"type": "string", "title": "Error", "description": "The kind of refusal."},
    },
}


def install(app: FastAPI) -> None:
    _document_422(app)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_exception)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(OSError, _unreachable)
    app.add_exception_handler(TimeoutError, _unreachable)


def _document_422(app: FastAPI) -> None:
    """Say in the OpenAPI document that a 422 is either FastAPI's list of validation errors
    or a :data:`PROBLEM_SCHEMA` (a domain rule broken: ``{"detail": "...", "error": ...}``)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        document = generate()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        if "Problem" in schemas:
            return document
        schemas["Problem"] = PROBLEM_SCHEMA
        either = {
            "anyOf": [
                {"$ref": "#/components/schemas/HTTPValidationError"},
                {"$ref": "#/components/schemas/Problem"},
            ]
        }
        for operation in _operations(document):
            refused = operation.get("responses", {}).get("422")
            if refused is not None:
                refused.setdefault("content", {}).setdefault("application/json", {})
                refused["content"]["application/json"]["schema"] = either
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        operation
        for path in document.get("paths", {}).values()
        for operation in path.values()
        if isinstance(operation, dict)
    ]


def refuse_nul_in_query(request: Request) -> None:
    """An app-wide dependency: a query parameter holding a NUL character is a 422."""
    errors = [
        {
            "type": "string_pattern_mismatch",
            "loc": ("query", name),
            "msg": "must not contain a NUL character",
            "input": value,
        }
        for name, value in request.query_params.multi_items()
        if "\x00" in name or "\x00" in value
    ]
    if errors:
        raise RequestValidationError(errors)


async def _invalid_request(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    shown = [_described(error) for error in errors[:MAX_ERRORS_SHOWN]]
    if len(errors) > MAX_ERRORS_SHOWN:
        shown.append(
            {
                "type": "too_many_errors",
                "loc": [],
                "msg": f"{len(errors) - MAX_ERRORS_SHOWN:,} more errors not shown",
            }
        )
    return JSONResponse({"detail": shown}, 422)


async def _http_exception(request: Request, exc: Exception) -> Response:
    """FastAPI's answer, with two corrections: a 405 names in ``Allow`` every method of the
    path (Starlette names only those of the first route that matched it), and a body that
    cannot even be parsed (not UTF-8, a broken form) is a 422 like any malformed input."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        allowed = _methods_of(request)
        return JSONResponse({"detail": exc.detail}, 405, headers={"Allow": ", ".join(allowed)})
    if exc.status_code != 400 or exc.detail != UNPARSABLE_BODY:
        return await http_exception_handler(request, exc)
    error = {"type": "body_unreadable", "loc": ["body"], "msg": "the body cannot be parsed"}
    return JSONResponse({"detail": [error | {"input": None}]}, 422)


def _methods_of(request: Request) -> list[str]:
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match is not Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return sorted(methods)


def _described(error: Any) -> dict[str, Any]:
    """FastAPI's error shape, with the input echoed only in part and made printable."""
    described: dict[str, Any] = {
        "type": error["type"],
        "loc": [part if isinstance(part, int) else _text(str(part)) for part in error["loc"]],
        "msg": _text(str(error["msg"])),
        "input": _shown(error.get("input")),
    }
    if "ctx" in error:
        described["ctx"] = {str(key): _shown(value) for key, value in error["ctx"].items()}
    return described


def _shown(value: Any, depth: int = 0) -> Any:
    """A printable, bounded echo of an input: lone surrogates escaped, non-finite numbers as
    text, at most a few levels and items of a large structure (it is only a reminder)."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict | list | tuple) and depth >= ECHO_DEPTH:
        return "…"
    if isinstance(value, dict):
        items = list(itertools.islice(value.items(), ECHO_ITEMS))
        shown = {_text(str(key)): _shown(inner, depth + 1) for key, inner in items}
        return shown | ({"…": f"{len(value) - ECHO_ITEMS} more"} if len(value) > ECHO_ITEMS else {})
    if isinstance(value, list | tuple):
        echoed = [_shown(inner, depth + 1) for inner in value[:ECHO_ITEMS]]
        return echoed + (["…"] if len(value) > ECHO_ITEMS else [])
    return _text(str(value))


def _text(value: str) -> str:
    if len(value) > ECHO_CHARACTERS:
        value = value[:ECHO_CHARACTERS] + "…"
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


async def _database_error(_: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return JSONResponse({"detail": UNAVAILABLE}, 503)
    log.error("database error", exc_info=exc)
    return JSONResponse({"detail": "the database refused the request"}, 503)


async def _unreachable(_: Request, exc: Exception) -> JSONResponse:
    """The database cannot be reached: the connection was refused, reset or timed out
    (a plain ``OSError`` is asyncio's "all addresses failed"). Other OS errors are bugs."""
    if not isinstance(exc, ConnectionError | TimeoutError | socket.gaierror) and (
        type(exc) is not OSError
    ):
        raise exc
    log.warning("a request failed on an unreachable server", extra={"error": repr(exc)})
    return JSONResponse({"detail": UNAVAILABLE}, 503)
