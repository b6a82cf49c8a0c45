"""The click ids of a lead's original UTM capture, as the ad platforms match a conversion on them."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from integrations.outbox import ClickIds
from models import UtmTracking

MAX_CLICK_ID_LENGTH = 512  # offline_conversions' columns


def _usable(value: str | None) -> str | None:
    return value if value and len(value) <= MAX_CLICK_ID_LENGTH else None


async def click_ids_of(session: AsyncSession, tracking_id: uuid.UUID | None) -> ClickIds:
    if tracking_id is None:
        return ClickIds()
    u = UtmTracking
    # gbraid/wbraid have no column of their own: they arrive with the landing URL's parameters.
    query = select(
        u.gclid,
        u.url_params["gbraid"].astext,
        u.url_params["wbraid"].astext,
        u.fbclid,
        u.ttclid,
        u.li_fat_id,
        u.created_at,
    ).where(u.tracking_id == tracking_id)
    row = (await session.execute(query)).one_or_none()
    if row is None:
        return ClickIds()
    gclid, gbraid, wbraid, fbclid, ttclid, li_fat_id, clicked_at = row
    return ClickIds(
        gclid=_usable(gclid),
        gbraid=_usable(gbraid),
        wbraid=_usable(wbraid),
        fbclid=_usable(fbclid),
        ttclid=_usable(ttclid),
        li_fat_id=_usable(li_fat_id),
        clicked_at=clicked_at,
    )
