"""`rastro retention`: tracking personal data older than the period is anonymized, attribution stays."""

from tests.server.test_cli import rastro
from tests.sql import execute, fetch_one

HELD = "SELECT count(*) AS n FROM utm_tracking WHERE client_ip IS NOT NULL OR user_agent IS NOT NULL"
ATTRIBUTION = (
    "SELECT count(*) AS captures, count(DISTINCT session_id) AS sessions, count(gclid) AS clicks, "
    "count(utm_source) AS sources FROM utm_tracking"
)


def test_retention_anonymizes_tracking_older_than_the_period_and_keeps_attribution(
    seeded_db_url: str,
) -> None:
    execute(
        seeded_db_url,
        "UPDATE utm_tracking SET client_ip = '203.0.113.7', user_agent = 'Mozilla/5.0 test', created_at = "
        "CASE WHEN random() < 0.5 THEN now() - interval '7 months' ELSE now() - interval '5 months' END",
    )
    old = "SELECT count(*) AS n FROM utm_tracking WHERE created_at < now() - interval '6 months'"
    expected_old = fetch_one(seeded_db_url, old)["n"]
    total = fetch_one(seeded_db_url, "SELECT count(*) AS n FROM utm_tracking")["n"]
    assert 0 < expected_old < total
    attribution = fetch_one(seeded_db_url, ATTRIBUTION)

    result = rastro("retention", database_url=seeded_db_url)
    assert result.returncode == 0, result.stderr
    assert f"utm_tracking {expected_old}" in result.stdout
    assert fetch_one(seeded_db_url, HELD)["n"] == total - expected_old
    kept = fetch_one(
        seeded_db_url,
        "SELECT count(*) AS n FROM utm_tracking WHERE created_at < now() - interval '6 months' "
        "AND (client_ip IS NOT NULL OR user_agent IS NOT NULL)",
    )
    assert kept["n"] == 0
    assert fetch_one(seeded_db_url, ATTRIBUTION) == attribution

    # Idempotent: a second run finds nothing left; a shorter period reaches the newer rows.
    again = rastro("retention", database_url=seeded_db_url)
    assert "utm_tracking 0" in again.stdout
    shorter = rastro("retention", "--months", "4", database_url=seeded_db_url)
    assert f"utm_tracking {total - expected_old}" in shorter.stdout
    assert fetch_one(seeded_db_url, HELD)["n"] == 0
