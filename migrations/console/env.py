"""Alembic environment of the ``console`` schema."""

from migrations.environment import run
from services.console.adapters.orm import SCHEMA, metadata

run(SCHEMA, metadata)
