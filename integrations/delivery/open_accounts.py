"""The worker's view of a domain's delivery account: settings parsed, secrets unsealed and checked."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from integrations.delivery.account_settings import (
    AccountError,
    Strict,
    check_pair,
    parse_secrets,
    parse_settings,
)
from integrations.secret_box import SecretBox, SecretKeyError
from models import DeliveryAccount
from models.enums import Destination


@dataclass(frozen=True)
class OpenAccount:
    id: int
    domain_id: uuid.UUID
    destination: Destination
    name: str
    settings: Strict
    secrets: Strict


class Unusable(Exception):
    """The account cannot be used as stored: why, in words an admin can act on."""


def open_account(row: DeliveryAccount, box: SecretBox) -> OpenAccount:
    destination = Destination(row.destination)
    if row.secrets is None:
        raise Unusable(f"the {destination.value} account '{row.name}' has no credentials")
    try:
        settings = parse_settings(destination, row.settings)
        secrets = parse_secrets(destination, box.unseal(row.secrets))
        check_pair(settings, secrets)
    except (AccountError, SecretKeyError) as error:
        raise Unusable(f"the {destination.value} account '{row.name}' is unusable: {error}") from None
    return OpenAccount(row.id, row.domain_id, destination, row.name, settings, secrets)


async def active_accounts(
    session: AsyncSession, destination: Destination, domain_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, DeliveryAccount]:
    query = select(DeliveryAccount).where(
        DeliveryAccount.destination == destination.value,
        DeliveryAccount.domain_id.in_(set(domain_ids)),
        DeliveryAccount.active,
    )
    return {row.domain_id: row for row in await session.scalars(query)}
