"""Checkout accounts: a domain's token per platform, set by admins, matched in constant time by webhooks.

Hotmart sends its token (X-HOTMART-HOTTOK): only its SHA-256 is stored. Kiwify signs the body with its
token (HMAC-SHA1): the token is sealed with RASTRO_SECRET_KEY. Neither is ever shown again.
"""

import hashlib
import hmac
import time
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from integrations.secret_box import SecretBox, SecretKeyError
from models import CheckoutAccount, Domain
from models.enums import CheckoutPlatform


class CheckoutAccountError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def set_checkout_account(
    session: AsyncSession,
    box: SecretBox | None,
    domain_id: uuid.UUID,
    platform: CheckoutPlatform,
    name: str,
    token: str,
    active: bool = True,
) -> CheckoutAccount:
    """Create or replace the domain's account for the platform; CheckoutAccountError names a bad field."""
    if not 1 <= len(name.strip()) <= 100:
        raise CheckoutAccountError("name", "must be 1 to 100 characters")
    token = token.strip()
    if not 8 <= len(token) <= 500:
        raise CheckoutAccountError("token", "must be 8 to 500 characters (the platform's webhook token)")
    if await session.get(Domain, domain_id) is None:
        raise CheckoutAccountError("domainId", f"no domain {domain_id}")
    values: dict[str, object] = {"domain_id": domain_id, "platform": platform.value, "name": name.strip(),
                                 "active": active, "token_hash": None, "token_sealed": None}  # fmt: skip
    if platform is CheckoutPlatform.HOTMART:
        values["token_hash"] = token_hash(token)
        taken = await session.scalar(
            select(CheckoutAccount.domain_id).where(
                CheckoutAccount.platform == platform.value,
                CheckoutAccount.token_hash == values["token_hash"],
                CheckoutAccount.domain_id != domain_id,
            )
        )
        if taken is not None:
            raise CheckoutAccountError("token", "is already the Hotmart token of another domain")
    else:
        if box is None:
            raise CheckoutAccountError(
                "token", "cannot be stored: RASTRO_SECRET_KEY is not set on this server"
            )
        values["token_sealed"] = box.seal({"token": token})
    statement = (
        insert(CheckoutAccount)
        .values(**values)
        .on_conflict_do_update(index_elements=["domain_id", "platform"], set_=values)
        .returning(CheckoutAccount)
    )
    return (await session.scalars(statement)).one()


@dataclass(frozen=True)
class MatchedAccount:
    id: int
    domain_id: uuid.UUID


@dataclass(frozen=True)
class ActiveAccount:
    id: int
    domain_id: uuid.UUID
    token_hash: str | None
    token_sealed: bytes | None


class CheckoutAccounts:
    """The active accounts per platform, read from the read pool and remembered for `seconds`.

    A webhook then costs no query before its own transaction; a change takes up to `seconds` to apply.
    """

    def __init__(self, reads: async_sessionmaker[AsyncSession], seconds: float) -> None:
        self.reads = reads
        self.seconds = seconds
        self._cached: dict[CheckoutPlatform, tuple[float, list[ActiveAccount]]] = {}

    async def active(self, platform: CheckoutPlatform) -> list[ActiveAccount]:
        cached = self._cached.get(platform)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        async with self.reads() as session:
            query = select(CheckoutAccount).where(
                CheckoutAccount.platform == platform.value, CheckoutAccount.active.is_(True)
            )
            rows = [
                ActiveAccount(r.id, r.domain_id, r.token_hash, r.token_sealed)
                for r in await session.scalars(query.order_by(CheckoutAccount.id))
            ]
        if self.seconds > 0:
            self._cached[platform] = (time.monotonic() + self.seconds, rows)
        return rows

    async def hotmart(self, token: str | None) -> MatchedAccount | None:
        """The active Hotmart account whose token this is; every stored hash is compared in constant time."""
        if not token:
            return None
        digest = token_hash(token.strip()).encode()
        found = None
        for row in await self.active(CheckoutPlatform.HOTMART):
            if (
                row.token_hash is not None
                and hmac.compare_digest(row.token_hash.encode(), digest)
                and found is None
            ):
                found = MatchedAccount(row.id, row.domain_id)
        return found

    async def kiwify(
        self, box: SecretBox | None, body: bytes, signature: str | None
    ) -> MatchedAccount | None:
        """The active Kiwify account whose token signs these exact bytes (HMAC-SHA1, hex)."""
        if not signature or box is None:
            return None
        given = signature.strip().lower().encode()
        found = None
        for row in await self.active(CheckoutPlatform.KIWIFY):
            if row.token_sealed is None:
                continue
            try:
                token = str(box.unseal(row.token_sealed)["token"])
            except (SecretKeyError, KeyError):
                continue  # sealed with another key: set the account again
            expected = hmac.new(token.encode(), body, hashlib.sha1).hexdigest().encode()
            if hmac.compare_digest(expected, given) and found is None:
                found = MatchedAccount(row.id, row.domain_id)
        return found
