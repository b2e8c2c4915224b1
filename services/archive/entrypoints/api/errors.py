"""Archive errors become precise 4xx answers; nothing a caller sends yields a 500."""

from __future__ import annotations

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from services.archive.domain.errors import ArchiveError, Forbidden, NotFound


async def archive_error(_request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, NotFound):
        code = status.HTTP_404_NOT_FOUND
    elif isinstance(exc, Forbidden):
        code = status.HTTP_403_FORBIDDEN
    else:
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
    return JSONResponse({"detail": str(exc), "error": type(exc).__name__}, status_code=code)


def install(app: FastAPI) -> None:
    app.add_exception_handler(ArchiveError, archive_error)
