"""The bench's floor (floor_app.py), its journey statement given the bound Rastro's compiled SQL has since
migration 0025: a session's page views and events are not older than the session, so PostgreSQL scans only
the monthly partitions from its start on, not every month's index."""

from pathlib import Path

import floor_app  # type: ignore[import-not-found]  # the bench's, run.sh starts servers in its folder

BOUND = "AND created_at >= s.started_at"
journey = (Path(floor_app.SQL_DIR) / "journey.sql").read_text()
for table in ("page_views", "events"):
    scan = f"FROM {table} WHERE session_id = s.session_id"
    assert journey.count(scan) == 1, scan
    journey = journey.replace(scan, f"{scan} {BOUND}")
floor_app.OPERATIONS["Journey"] = (journey, ("domain",))
app = floor_app.app
