"""Domain errors become precise 4xx answers; nothing a caller sends yields a 500."""

from __future__ import annotations

from asyncpg import UniqueViolationError
from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from services.planner.domain.errors import Conflict, NotFound, PlannerError, RuleViolation

STATUS = {NotFound: status.HTTP_404_NOT_FOUND, Conflict: status.HTTP_409_CONFLICT}


async def planner_error(_request: Request, exc: Exception) -> JSONResponse:
    code = next(
        (code for kind, code in STATUS.items() if isinstance(exc, kind)),
        status.HTTP_422_UNPROCESSABLE_CONTENT,
    )
    kind = type(exc).__name__ if isinstance(exc, PlannerError) else "Error"
    return JSONResponse({"detail": str(exc), "error": kind}, status_code=code)


async def integrity_error(_request: Request, exc: Exception) -> JSONResponse:
    """A concurrent request created the same thing first (e.g. the same item ref)."""
    detail = str(getattr(exc, "orig", exc)).splitlines()[0]
    return JSONResponse(
        {"detail": f"conflicts with existing data: {detail}", "error": "Conflict"},
        status_code=status.HTTP_409_CONFLICT,
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(PlannerError, planner_error)
    app.add_exception_handler(UniqueViolationError, integrity_error)


__all__ = ["RuleViolation", "install"]
