"""The console's own tables (schema ``console``): accounts, signed-in browser sessions and
OpenID Connect sign-ins under way.

Nothing of the work plan is kept here: the console reads and writes that through the
other services' HTTP APIs.
"""

from __future__ import annotations

from sqlalchemy import (
    ARRAY,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    MetaData,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import UUID

SCHEMA = "console"
metadata = MetaData(schema=SCHEMA)

accounts = Table(
    "accounts",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("username", Text, nullable=False, unique=True),
    Column("display_name", Text, nullable=False),
    Column("email", Text),
    Column("roles", ARRAY(Text), nullable=False),
    Column("language", Text, nullable=False, server_default=text("'az'")),
    Column("password_hash", Text, comment="argon2id; NULL for accounts that sign in by OIDC"),
    Column("oidc_subject", Text, unique=True, comment="issuer-qualified `sub` of an OIDC user"),
    Column("recipient_id", UUID(as_uuid=True), comment="the notifier recipient of this person"),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", Text, primary_key=True, comment="SHA-256 of the cookie's value"),
    Column(
        "account_id",
        UUID(as_uuid=True),
        ForeignKey("accounts.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("csrf_token", Text, nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("sessions_expires_at", "expires_at"),
)

oidc_logins = Table(
    "oidc_logins",
    metadata,
    Column("state", Text, primary_key=True, comment="the authorization request's state"),
    Column("code_verifier", Text, nullable=False, comment="PKCE verifier (RFC 7636)"),
    Column("nonce", Text, nullable=False),
    Column("next_path", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
