"""Reading and arranging rows of a test database directly, with asyncpg."""

import json
from typing import Any

from tests.sql import execute, execute_async, fetch, fetch_one

__all__ = ["execute", "execute_async", "fetch", "fetch_one"]


OPEN_LEAD_WITH_TRACKING = """
SELECT l.lead_id, l.external_id, l.utm_tracking_id
FROM leads l
WHERE l.utm_tracking_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM offline_conversions c WHERE c.lead_id = l.lead_id)
  AND NOT EXISTS (SELECT 1 FROM lead_stages s WHERE s.lead_id = l.lead_id AND s.stage_name IN ('won', 'lost'))
ORDER BY l.created_at, l.lead_id
"""


def open_leads(url: str) -> list[dict[str, Any]]:
    """Leads with a UTM capture, no conversion and no closed stage, oldest first."""
    leads = fetch(url, OPEN_LEAD_WITH_TRACKING)
    assert leads, "the seed has no open lead with a UTM capture"
    return leads


def set_click_ids(url: str, tracking_id: Any, **click_ids: str | None) -> None:
    """Give a UTM capture exactly these click ids (gbraid/wbraid go to url_params, as they arrive)."""
    columns = {key: click_ids.get(key) for key in ("gclid", "fbclid", "ttclid", "li_fat_id")}
    params = {key: value for key in ("gbraid", "wbraid") if (value := click_ids.get(key))}
    execute(
        url,
        "UPDATE utm_tracking SET gclid = $2, fbclid = $3, ttclid = $4, li_fat_id = $5,"
        " url_params = (url_params - 'gbraid' - 'wbraid') || $6::jsonb WHERE tracking_id = $1",
        tracking_id,
        *columns.values(),
        json.dumps(params),
    )


def count(url: str, table: str, lead_id: Any) -> int:
    """Rows of a table about one lead (conversion_outbox through its conversions)."""
    if table == "conversion_outbox":
        query = (
            "SELECT count(*) AS n FROM conversion_outbox o"
            " JOIN offline_conversions c USING (conversion_id) WHERE c.lead_id = $1"
        )
    else:
        query = f"SELECT count(*) AS n FROM {table} WHERE lead_id = $1"
    return int(fetch_one(url, query, lead_id)["n"])
