"""Alembic environment of the ``notifier`` schema."""

from migrations.environment import run
from services.notifier.adapters.orm import SCHEMA, metadata

run(SCHEMA, metadata)
