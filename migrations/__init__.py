"""Alembic: one environment and one history per service schema (see ``runner.py``)."""
