"""`rastro refresh-analytics`: refresh the reports' materialized views and record when, for `dataAsOf`."""

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from resolvers.analytics.materialized import VIEWS, View

RECORD = """
INSERT INTO analytics_refreshes (view_name, refreshed_at, seconds, row_count)
VALUES ($1, now(), $2, (SELECT count(*) FROM {view}))
ON CONFLICT (view_name) DO UPDATE
  SET refreshed_at = excluded.refreshed_at, seconds = excluded.seconds, row_count = excluded.row_count
RETURNING row_count
"""


@dataclass(frozen=True)
class Refreshed:
    view: str
    rows: int
    seconds: float
    concurrently: bool


async def refresh_views(
    connection: Any, concurrently: bool = True, views: Sequence[View] = VIEWS
) -> list[Refreshed]:
    """Each view in a transaction of its own (a savepoint inside the caller's): refreshed, analyzed,
    recorded at the instant its data was read. Concurrently, readers keep the old rows meanwhile."""
    done = []
    for view in views:
        async with connection.transaction():
            started = time.perf_counter()
            mode = "CONCURRENTLY " if concurrently else ""
            await connection.execute(f"REFRESH MATERIALIZED VIEW {mode}{view.name}")
            await connection.execute(f"ANALYZE {view.name}")
            seconds = time.perf_counter() - started
            rows = await connection.fetchval(RECORD.format(view=view.name), view.name, seconds)
        done.append(Refreshed(view.name, rows, seconds, concurrently))
    return done
