"""Alembic environment of the ``archive`` schema."""

from migrations.environment import run
from services.archive.adapters.orm import SCHEMA, metadata

run(SCHEMA, metadata)
