"""A service on SQLAlchemy: its database errors answer as asyncpg's do (503, not 500).

Installed by :func:`shared.runtime.service_app.create_service_app` for a service that has
an engine; the planner runs its SQL on asyncpg alone and never loads SQLAlchemy.
"""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy.exc import DBAPIError

from shared.runtime.http_errors import database_error


def install(app: FastAPI) -> None:
    app.add_exception_handler(DBAPIError, database_error)
