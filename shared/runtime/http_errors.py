"""How every service's API answers what it cannot serve: a precise 4xx for bad input,
503 while the database is out of reach; never a 500 for either.

- Bad input: FastAPI's 422 (each error names the parameter or field), with the offending
  input made printable — a lone surrogate or a non-finite number in a JSON body would
  otherwise break the error response itself. A NUL character is refused in every query
  parameter (PostgreSQL cannot store or compare it in text).
- The database refusing a statement or being unreachable (connection refused, reset,
  timed out): 503 with a message saying which. Any other error is a bug: 500, logged.
"""

from __future__ import annotations

import logging
import math
import socket
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

UNAVAILABLE = "the database is unavailable; retry later"


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(OSError, _unreachable)
    app.add_exception_handler(TimeoutError, _unreachable)


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
    return JSONResponse({"detail": _printable(jsonable_encoder(exc.errors()))}, 422)


def _printable(value: Any) -> Any:
    """JSON that can be sent: lone surrogates escaped, non-finite numbers as text."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, dict):
        return {_printable(key): _printable(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [_printable(inner) for inner in value]
    return value


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
