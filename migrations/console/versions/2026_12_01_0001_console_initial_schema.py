"""console: accounts, signed-in browser sessions, OpenID Connect sign-ins under way

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True),
        sa.Column("username", sa.Text(), nullable=False, unique=True),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text()),
        sa.Column("roles", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("language", sa.Text(), nullable=False, server_default=sa.text("'az'")),
        sa.Column(
            "password_hash",
            sa.Text(),
            comment="argon2id; NULL for accounts that sign in by OIDC",
        ),
        sa.Column(
            "oidc_subject",
            sa.Text(),
            unique=True,
            comment="issuer-qualified `sub` of an OIDC user",
        ),
        sa.Column(
            "recipient_id",
            postgresql.UUID(as_uuid=True),
            comment="the notifier recipient of this person",
        ),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.text("true")),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        schema="console",
    )
    op.create_table(
        "sessions",
        sa.Column(
            "token_hash", sa.Text(), primary_key=True, comment="SHA-256 of the cookie's value"
        ),
        sa.Column(
            "account_id",
            postgresql.UUID(as_uuid=True),
            sa.ForeignKey("console.accounts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("csrf_token", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        schema="console",
    )
    op.create_index("sessions_expires_at", "sessions", ["expires_at"], schema="console")
    op.create_table(
        "oidc_logins",
        sa.Column(
            "state", sa.Text(), primary_key=True, comment="the authorization request's state"
        ),
        sa.Column("code_verifier", sa.Text(), nullable=False, comment="PKCE verifier (RFC 7636)"),
        sa.Column("nonce", sa.Text(), nullable=False),
        sa.Column("next_path", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        schema="console",
    )


def downgrade() -> None:
    op.drop_table("oidc_logins", schema="console")
    op.drop_index("sessions_expires_at", table_name="sessions", schema="console")
    op.drop_table("sessions", schema="console")
    op.drop_table("accounts", schema="console")
