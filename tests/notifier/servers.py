"""Real servers for the notifier's tests: an SMTP server (aiosmtpd) and an HTTP receiver."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return BytesParser(policy=policy.default).parsebytes(self.data)


class CollectingHandler:
    """Keeps every message; ``refuse`` makes it answer DATA with that reply instead."""

    def __init__(self) -> None:
        self.messages: list[ReceivedMail] = []
        self.refuse: str | None = None
        self.delay = 0.0
        """Seconds each message takes to be accepted (a slow mail server)."""
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        if self.refuse:
            return self.refuse
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            self.messages.append(
                ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
            )
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on a fixed free port, which can be stopped and started again (an outage)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = CollectingHandler()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[ReceivedMail]:
        return self.handler.messages

    def reset(self) -> None:
        self.handler.messages.clear()
        self.handler.refuse = None
        self.handler.delay = 0.0


@dataclass
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class Reply:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


REASONS = {200: "OK", 204: "No Content", 410: "Gone", 500: "Internal Server Error",
           503: "Service Unavailable", 404: "Not Found"}  # fmt: skip


class HttpReceiver:
    """A small HTTP/1.1 server: records each request, answers from a script, then 200."""

    def __init__(self) -> None:
        self.port = free_port()
        self.requests: list[ReceivedRequest] = []
        self.script: list[Reply] = []
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def reset(self) -> None:
        self.requests.clear()
        self.script.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            self.requests.append(ReceivedRequest(method, path, headers, body, time.monotonic()))
            reply = self.script.pop(0) if self.script else Reply(200, body=b"ok")
            reason = REASONS.get(reply.status, "Status")
            extra = "".join(f"{k}: {v}\r\n" for k, v in reply.headers.items())
            writer.write(
                f"HTTP/1.1 {reply.status} {reason}\r\ncontent-length: {len(reply.body)}\r\n"
                f"connection: close\r\n{extra}\r\n".encode()
                + reply.body
            )
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
