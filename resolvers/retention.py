"""LGPD retention: tracking personal data older than the configured period is anonymized.

`rastro retention` runs it (schedule it daily: cron, a Kubernetes CronJob); attribution keeps working on
what is left (sessions, UTMs, click ids, page views), only who the visitor's device was is forgotten.
"""

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolvers.data_subject.declaration import PERSONAL_TABLES


@dataclass(frozen=True)
class Tracked:
    """A table holding tracking personal data: the columns set to NULL, by the age of `since`."""

    table: str
    since: str
    columns: tuple[str, ...]


# The columns the data-subject declaration marks retained: a new one is declared there, once.
TRACKING_PERSONAL_DATA = tuple(
    Tracked(table.name, table.since, columns)
    for table in PERSONAL_TABLES
    if (columns := tuple(name for name, personal in table.columns.items() if personal.retained))
)


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
