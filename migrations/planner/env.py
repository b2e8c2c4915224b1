"""Alembic environment of the ``planner`` schema."""

from migrations.environment import run
from services.planner.adapters.orm import SCHEMA, metadata

run(SCHEMA, metadata)
