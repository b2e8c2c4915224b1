"""Commands loaded only when they run, so that ``workplan --help`` answers at once.

A :class:`LazyCommand` stands in the top-level group with its name and one-line help; the
module behind it (which may import a whole service: SQLAlchemy, FastStream, the domain)
is imported only when that command is parsed or run, never to list the commands.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True)
class Entry:
    """One top-level command: its name, ``module:attribute`` (a Typer app or a function)
    and the one line ``workplan --help`` shows for it."""

    name: str
    target: str
    help: str


class LazyCommand(TyperCommand):
    def __init__(self, entry: Entry) -> None:
        super().__init__(entry.name, help=entry.help, short_help=entry.help)
        self.target = entry.target
        self._loaded: Any = None

    def load(self) -> Any:
        """The real command (a click command or group), imported on first use."""
        if self._loaded is None:
            module_name, attribute = self.target.split(":")
            found = getattr(importlib.import_module(module_name), attribute)
            if isinstance(found, typer.Typer):
                command: Any = typer.main.get_group(found)
            else:
                single = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
                single.command(self.name)(found)
                command = typer.main.get_command(single)
            command.name = self.name
            self._loaded = command
        return self._loaded

    def make_context(self, info_name: Any, args: Any, parent: Any = None, **extra: Any) -> Any:
        return self.load().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        return self.load().invoke(ctx)


class LazyGroup(TyperGroup):
    """A group whose commands are the :attr:`entries`, each loaded only when used."""

    entries: ClassVar[Sequence[Entry]] = ()

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for entry in self.entries:
            self.add_command(LazyCommand(entry))
