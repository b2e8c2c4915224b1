"""Sending e-mail over SMTP with aiosmtplib: a few connections kept open and used in turn.

A delivery is ``sent`` only once the server accepted the message (``sendmail`` returned).
A 5xx reply to the recipient or the message is a permanent failure; anything else (no
connection, timeout, 4xx, a dropped connection) is retried on the delivery's schedule.
After a connection attempt fails, sends fail fast for a few seconds instead of each one
waiting for its own timeout.
"""

from __future__ import annotations

import asyncio
import time
from types import TracebackType

import aiosmtplib

from services.notifier.adapters.mail_server_watch import MailServerWatch
from services.notifier.domain.deliveries import AttemptResult, DueDelivery

STALE_AFTER_SECONDS = 30.0
"""A connection idle this long is checked with NOOP before it is used again."""
FAIL_FAST_SECONDS = 1.0


class SmtpMailer:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        envelope_from: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        tls: bool = False,
        timeout: float = 30.0,
        connections: int = 4,
        watch: MailServerWatch | None = None,
    ) -> None:
        self._host, self._port = host, port
        self._watch = watch or MailServerWatch(f"{host}:{port}")
        self._envelope_from = envelope_from
        self._username, self._password = username, password
        self._starttls, self._tls = starttls, tls
        self._timeout = timeout
        self._slots = asyncio.Semaphore(connections)
        self._idle: list[tuple[aiosmtplib.SMTP, float]] = []
        self._down_until = 0.0
        self._down_reason = ""

    async def __aenter__(self) -> SmtpMailer:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for client, _ in idle:
            await _quit(client)

    async def send(self, due: DueDelivery) -> AttemptResult:
        if time.monotonic() < self._down_until:
            return AttemptResult.transient(self._down_reason)
        async with self._slots:
            client = await self._connected()
            if client is None:
                return AttemptResult.transient(self._down_reason)
            try:
                _refused, reply = await client.sendmail(
                    self._envelope_from, [due.target], due.content, timeout=self._timeout
                )
            except aiosmtplib.SMTPRecipientsRefused as exc:
                await _quit(client)
                return _by_code(min((r.code for r in exc.recipients), default=450), _describe(exc))
            except (
                aiosmtplib.SMTPRecipientRefused,
                aiosmtplib.SMTPDataError,
            ) as exc:
                await _quit(client)
                return _by_code(exc.code, _describe(exc))
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
                await _quit(client)
                return AttemptResult.transient(f"mail server: {_describe(exc)}")
            self._idle.append((client, time.monotonic()))
            return AttemptResult.sent(f"accepted: {reply.strip()[:200]}")

    async def check(self) -> bool:
        """Connect (or check an open connection with NOOP); ``True`` when the server answers."""
        async with self._slots:
            client = await self._connected()
            if client is None:
                return False
            self._idle.append((client, time.monotonic()))
            return True

    async def _connected(self) -> aiosmtplib.SMTP | None:
        """A connection, or ``None`` when the server cannot be reached (the watch is told)."""
        try:
            client = await self._client()
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            self._down_reason = f"cannot connect to the mail server: {_describe(exc)}"
            self._down_until = time.monotonic() + FAIL_FAST_SECONDS
            self._watch.unreachable(_describe(exc))
            return None
        self._watch.reachable()
        return client

    async def _client(self) -> aiosmtplib.SMTP:
        while self._idle:
            client, used_at = self._idle.pop()
            if not client.is_connected:
                continue
            if time.monotonic() - used_at < STALE_AFTER_SECONDS:
                return client
            try:
                await client.noop(timeout=self._timeout)
            except (aiosmtplib.SMTPException, OSError, TimeoutError):
                await _quit(client)
                continue
            return client
        client = aiosmtplib.SMTP(
            hostname=self._host,
            port=self._port,
            timeout=self._timeout,
            use_tls=self._tls,
            start_tls=self._starttls,
        )
        await client.connect()
        if self._username is not None:
            await client.login(self._username, self._password or "")
        return client


def _by_code(code: int, detail: str) -> AttemptResult:
    if 500 <= code < 600:
        return AttemptResult.permanent(f"refused by the mail server: {detail}")
    return AttemptResult.transient(f"deferred by the mail server: {detail}")


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


async def _quit(client: aiosmtplib.SMTP) -> None:
    try:
        if client.is_connected:
            await client.quit(timeout=2)
    except (aiosmtplib.SMTPException, OSError, TimeoutError):
        client.close()
