"""LGPD retention: tracking personal data older than the configured period is anonymized.

`rastro retention` runs it (schedule it daily: cron, a Kubernetes CronJob); attribution keeps working on
what is left (sessions, UTMs, click ids, page views), only who the visitor's device was is forgotten.
"""

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


@dataclass(frozen=True)
class Tracked:
    """A table holding tracking personal data: the columns set to NULL, by the age of `since`."""

    table: str
    since: str
    columns: tuple[str, ...]


# One line per table; a new table of tracking personal data is added here.
TRACKING_PERSONAL_DATA = (Tracked("utm_tracking", "created_at", ("client_ip", "user_agent")),)


async def anonymize_tracking(sessions: async_sessionmaker[AsyncSession], months: int) -> dict[str, int]:
    """Rows anonymized per table; rows already anonymized are not touched again."""
    counts = {}
    async with sessions() as session, session.begin():
        for tracked in TRACKING_PERSONAL_DATA:
            cleared = ", ".join(f"{column} = NULL" for column in tracked.columns)
            held = " OR ".join(f"{column} IS NOT NULL" for column in tracked.columns)
            result = await session.execute(
                text(
                    f"UPDATE {tracked.table} SET {cleared}, updated_at = now() "
                    f"WHERE {tracked.since} < now() - make_interval(months => :months) AND ({held})"
                ),
                {"months": months},
            )
            counts[tracked.table] = result.rowcount  # type: ignore[attr-defined]
    return counts
