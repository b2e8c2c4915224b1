"""Accounts and browser sessions in PostgreSQL (schema ``console``), SQLAlchemy Core."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from services.console.adapters.orm import accounts, sessions
from services.console.domain.accounts import Account, Language
from services.console.domain.errors import AccountExists
from services.console.domain.sessions import BrowserSession


class SqlAccounts:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(self, account: Account) -> None:
        row = {
            "id": account.id,
            "username": account.username,
            "display_name": account.display_name,
            "email": account.email,
            "roles": sorted(account.roles),
            "language": account.language,
            "password_hash": account.password_hash,
            "oidc_subject": account.oidc_subject,
            "recipient_id": account.recipient_id,
            "active": account.active,
        }
        try:
            async with self._engine.begin() as connection:
                await connection.execute(insert(accounts).values(row))
        except IntegrityError as exc:
            raise AccountExists(f"an account named {account.username!r} exists already") from exc

    async def by_username(self, username: str) -> Account | None:
        return await self._one(accounts.c.username == username)

    async def by_id(self, account_id: uuid.UUID) -> Account | None:
        return await self._one(accounts.c.id == account_id)

    async def by_oidc_subject(self, subject: str) -> Account | None:
        return await self._one(accounts.c.oidc_subject == subject)

    async def by_email(self, email: str) -> list[Account]:
        async with self._engine.connect() as connection:
            statement = select(accounts).where(func.lower(accounts.c.email) == email.lower())
            return [_account(row._mapping) for row in await connection.execute(statement)]

    async def set_oidc_subject(self, account_id: uuid.UUID, subject: str) -> None:
        await self._update(account_id, oidc_subject=subject)

    async def all(self) -> list[Account]:
        async with self._engine.connect() as connection:
            rows = await connection.execute(select(accounts).order_by(accounts.c.username))
            return [_account(row._mapping) for row in rows]

    async def set_password_hash(self, account_id: uuid.UUID, password_hash: str) -> None:
        await self._update(account_id, password_hash=password_hash)

    async def set_language(self, account_id: uuid.UUID, language: Language) -> None:
        await self._update(account_id, language=language)

    async def link_recipient(self, account_id: uuid.UUID, recipient_id: uuid.UUID) -> None:
        await self._update(account_id, recipient_id=recipient_id)

    async def _one(self, condition: Any) -> Account | None:
        async with self._engine.connect() as connection:
            row = (await connection.execute(select(accounts).where(condition))).first()
            return _account(row._mapping) if row else None

    async def _update(self, account_id: uuid.UUID, **values: object) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                update(accounts).where(accounts.c.id == account_id).values(values)
            )


def _account(row: Any) -> Account:
    return Account(
        id=row["id"],
        username=row["username"],
        display_name=row["display_name"],
        roles=frozenset(row["roles"]),
        email=row["email"],
        language=row["language"],
        password_hash=row["password_hash"],
        oidc_subject=row["oidc_subject"],
        recipient_id=row["recipient_id"],
        active=row["active"],
    )


class SqlSessions:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(self, session: BrowserSession) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                insert(sessions).values(
                    token_hash=session.token_hash,
                    account_id=session.account_id,
                    csrf_token=session.csrf_token,
                    expires_at=session.expires_at,
                )
            )

    async def get(self, token_hash: str) -> BrowserSession | None:
        async with self._engine.connect() as connection:
            statement = select(sessions).where(sessions.c.token_hash == token_hash)
            row = (await connection.execute(statement)).first()
        if row is None:
            return None
        return BrowserSession(row.token_hash, row.account_id, row.csrf_token, row.expires_at)

    async def touch(self, token_hash: str, expires_at: datetime) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                update(sessions)
                .where(sessions.c.token_hash == token_hash)
                .values(expires_at=expires_at)
            )

    async def remove(self, token_hash: str) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(delete(sessions).where(sessions.c.token_hash == token_hash))

    async def remove_expired(self, now: datetime) -> int:
        async with self._engine.begin() as connection:
            result = await connection.execute(delete(sessions).where(sessions.c.expires_at < now))
            return int(result.rowcount or 0)
