"""Run the Alembic histories programmatically: ``workplan migrate`` upgrades them all."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alembic import command
from alembic.config import Config

HERE = Path(__file__).resolve().parent
SERVICES = tuple(
    sorted(path.parent.name for path in HERE.glob("*/env.py")),
)
"""Service schemas: every folder here with an env.py and versions/ (each its own history)."""


def alembic_config(service: str, url: str) -> Config:
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}; known: {', '.join(SERVICES)}")
    config = Config()
    config.set_main_option("script_location", str(HERE / service))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(slug)s")
    return config


def upgrade(url: str, services: tuple[str, ...] = SERVICES, revision: str = "head") -> None:
    for service in services:
        _in_thread(command.upgrade, alembic_config(service, url), revision)


def downgrade(url: str, service: str, revision: str) -> None:
    _in_thread(command.downgrade, alembic_config(service, url), revision)


def _in_thread(fn: Callable[..., None], *args: object) -> None:
    """env.py runs its own event loop; when called from async code, give it a thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        fn(*args)
        return
    with ThreadPoolExecutor(1) as pool:
        pool.submit(fn, *args).result()
