"""API key administration (used by `rastro keys` and `rastro demo`)."""

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import ApiKey
from resolvers.context import Role
from resolvers.key_material import generate_key, hash_key


class KeyAdminError(Exception):
    pass


async def create_key(sessions: async_sessionmaker[AsyncSession], name: str, role: Role) -> str:
    """Store a new key's hash and return the key itself: the only time it is ever shown."""
    key = generate_key()
    async with sessions() as session:
        session.add(ApiKey(name=name, role=role.value, key_prefix=key[:12], key_hash=hash_key(key)))
        try:
            await session.commit()
        except IntegrityError as error:
            raise KeyAdminError(f"an API key named {name!r} already exists") from error
    return key


async def list_keys(sessions: async_sessionmaker[AsyncSession]) -> Sequence[ApiKey]:
    async with sessions() as session:
        return (await session.execute(select(ApiKey).order_by(ApiKey.created_at))).scalars().all()


async def revoke_key(sessions: async_sessionmaker[AsyncSession], name: str) -> None:
    async with sessions() as session:
        result = await session.execute(
            update(ApiKey)
            .where(ApiKey.name == name, ApiKey.revoked_at.is_(None))
            .values(revoked_at=dt.datetime.now(dt.UTC))
            .returning(ApiKey.id)
        )
        if result.first() is None:
            raise KeyAdminError(f"no active API key named {name!r}")
        await session.commit()
