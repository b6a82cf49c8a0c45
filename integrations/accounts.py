"""The delivery account a domain has configured for a destination (ad platform or CRM webhook)."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.accounts import DeliveryAccount
from models.enums import Destination


async def active_account(
    session: AsyncSession, domain_id: uuid.UUID, destination: Destination
) -> DeliveryAccount | None:
    query = select(DeliveryAccount).where(
        DeliveryAccount.domain_id == domain_id,
        DeliveryAccount.destination == destination.value,
        DeliveryAccount.active,
    )
    return (await session.scalars(query)).one_or_none()
