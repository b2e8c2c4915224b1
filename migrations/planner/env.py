"""Alembic environment of the ``planner`` schema."""

from migrations.environment import run
from services.planner.adapters.tables import SCHEMA, metadata

run(SCHEMA, metadata)
