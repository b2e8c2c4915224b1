"""Are the ports a local run needs free? Checked before anything is migrated or started."""

from __future__ import annotations

import socket
from dataclasses import dataclass


@dataclass(frozen=True)
class Listener:
    name: str
    """Who listens there, e.g. ``planner``."""
    host: str
    port: int
    setting: str
    """The variable that moves it, e.g. ``WORKPLAN_PLANNER_PORT``."""

    def __str__(self) -> str:
        return f"{self.host}:{self.port} ({self.name}, {self.setting})"


def is_free(host: str, port: int) -> bool:
    """Whether a server could listen there now (bound as uvicorn and aiosmtpd bind)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def taken(listeners: list[Listener]) -> list[Listener]:
    """The listeners whose port is taken, or listed twice."""
    seen: set[int] = set()
    clashes = []
    for listener in listeners:
        if listener.port in seen or not is_free(listener.host, listener.port):
            clashes.append(listener)
        seen.add(listener.port)
    return clashes


def refusal(clashes: list[Listener]) -> str:
    """One line naming every taken port."""
    named = "; ".join(str(listener) for listener in clashes)
    return (
        f"cannot start: port{'s' if len(clashes) > 1 else ''} already in use: {named}. "
        "Stop what listens there or set the variable to another port."
    )
