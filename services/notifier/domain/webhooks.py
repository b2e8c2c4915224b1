"""Webhook endpoints: where a recipient (usually another system) takes signed deliveries."""

from __future__ import annotations

import base64
import ipaddress
import re
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import SplitResult, urlsplit

from services.notifier.domain.errors import RuleViolation

SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix Standard Webhooks secrets carry
UNSAFE_IN_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
"""White space and control characters: an HTTP client refuses a URL holding any."""
LABEL = r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
HOST_NAME = re.compile(rf"{LABEL}(?:\.{LABEL})*\.?")
"""Dot-separated labels of letters, digits, ``-`` and ``_`` (non-ASCII ones as ``xn--``)."""
IPV4_LIKE = re.compile(r"[0-9.]+")
BRACKETED_HOST = re.compile(r"\[[^\]]*\](?::[^:]*)?")
"""``[IPv6]`` or ``[IPv6]:port``, nothing else."""


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def check_url(url: str) -> str:
    """An absolute http(s) URL that an HTTP client can request, without credentials."""
    if UNSAFE_IN_URL.search(url):
        raise RuleViolation(
            f"webhook URL {url!r} must not contain white space or control characters"
        )
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # e.g. an unbalanced or invalid [IPv6] host
        raise RuleViolation(f"webhook URL {url!r} is malformed: {exc}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RuleViolation(f"webhook URL {url!r} must be an absolute http(s) URL")
    if "@" in parts.netloc:
        raise RuleViolation("a webhook URL must not carry credentials; it is signed instead")
    problem = _host_problem(parts) or _port_problem(parts)
    if problem:
        raise RuleViolation(f"webhook URL {url!r} {problem}")
    return url


def _host_problem(parts: SplitResult) -> str | None:
    host = parts.hostname or ""  # lower case, without brackets and port
    if parts.netloc.startswith("["):
        if not BRACKETED_HOST.fullmatch(parts.netloc):
            return "has text after its [IPv6] host"
        return None if _ip_version(host) == 6 else "has an invalid IPv6 host"
    if IPV4_LIKE.fullmatch(host):
        return None if _ip_version(host) == 4 else "has an invalid IPv4 host"
    if not HOST_NAME.fullmatch(_as_dns_name(host)):
        return "has an invalid host name (letters, digits, '-' and '.' only)"
    return None


def _ip_version(host: str) -> int | None:
    try:
        return ipaddress.ip_address(host).version
    except ValueError:
        return None


def _as_dns_name(host: str) -> str:
    """An internationalised host name in its ``xn--`` form; as it is if it has none."""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _port_problem(parts: SplitResult) -> str | None:
    try:
        port = parts.port
    except ValueError as exc:  # not a number, or beyond 65535
        return f"has an invalid port: {exc}"
    return "has an invalid port: 0" if port == 0 else None


@dataclass(eq=False)
class WebhookEndpoint:
    recipient_id: uuid.UUID
    url: str
    secret: str = field(default_factory=new_secret, repr=False)
    description: str | None = None
    enabled: bool = True
    disabled_reason: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        check_url(self.url)

    def disable(self, reason: str) -> None:
        self.enabled, self.disabled_reason = False, reason

    def enable(self) -> None:
        self.enabled, self.disabled_reason = True, None

    def rotate_secret(self) -> str:
        self.secret = new_secret()
        return self.secret
