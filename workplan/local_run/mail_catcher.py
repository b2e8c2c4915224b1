"""A local mail catcher: a real SMTP server (aiosmtpd) that accepts every message and keeps
it in a :class:`MailFolder`, for a machine with no mail server of its own. Nothing leaves
the machine; the notifier's SMTP conversation with it is the real one."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from shared.runtime.mail_folder import MailFolder

log = logging.getLogger(__name__)


Caught = Callable[[Path, list[str]], None]
"""Told of each message kept: its file and its recipients."""


class _KeepInFolder:
    def __init__(self, folder: MailFolder, caught: Caught | None) -> None:
        self._folder = folder
        self._caught = caught

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        raw = envelope.original_content or envelope.content
        path = self._folder.save(bytes(raw))
        log.info("caught mail for %s: %s", ", ".join(envelope.rcpt_tos), path.name)
        if self._caught is not None:
            self._caught(path, list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


class MailCatcher:
    def __init__(
        self, folder: MailFolder, host: str, port: int, *, caught: Caught | None = None
    ) -> None:
        self.folder = folder
        self.host, self.port = host, port
        self._caught = caught
        self._controller: Controller | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self) -> None:
        """Listen (in a thread of its own); returns once the server accepts connections."""
        self._controller = Controller(
            _KeepInFolder(self.folder, self._caught), hostname=self.host, port=self.port
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
