"""A small SMTP server that accepts every message and notes when, by its Message-ID.

Enough of RFC 5321 for the notifier's client (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
QUIT), written here so that ``workplan bench`` needs no test-only package. ``workplan soak``
stops and starts it on the same port: a stop also cuts the sessions still open (the
notifier keeps its SMTP connections), as a mail server going down would.
"""

from __future__ import annotations

import asyncio
import re
import time

_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


class SmtpSink:
    def __init__(self, port: int = 0) -> None:
        self.accepted: list[tuple[float, str]] = []
        """(wall-clock time the message was accepted, its Message-ID), in order."""
        self.port = port
        self._server: asyncio.Server | None = None
        self._sessions: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        """Listen (again) on its port; the first start takes a free one unless given."""
        self._server = await asyncio.start_server(
            self._session, "127.0.0.1", self.port, limit=4 << 20
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for writer in list(self._sessions):
                writer.close()
            await self._server.wait_closed()
            self._server = None

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._sessions.add(writer)
        writer.write(b"220 bench-sink ESMTP\r\n")
        try:
            while line := await reader.readline():
                verb = line[:4].upper()
                if verb == b"EHLO":
                    writer.write(b"250-bench-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                elif verb == b"DATA":
                    writer.write(b"354 go ahead\r\n")
                    await writer.drain()
                    data = await reader.readuntil(b"\r\n.\r\n")
                    found = _MESSAGE_ID.search(data)
                    self.accepted.append((time.time(), found.group(1).decode() if found else ""))
                    writer.write(b"250 accepted\r\n")
                elif verb == b"QUIT":
                    writer.write(b"221 bye\r\n")
                    await writer.drain()
                    break
                else:  # HELO, MAIL, RCPT, RSET, NOOP
                    writer.write(b"250 ok\r\n")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._sessions.discard(writer)
            writer.close()
