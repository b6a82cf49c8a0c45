"""`rastro partitions` makes the coming months (idempotent) and moves stray rows out of DEFAULT;
`rastro retention --detach-after` takes whole old months out of the tables."""

import datetime as dt

from tests.partitions import TABLES
from tests.server.test_cli import rastro
from tests.sql import execute, fetch, fetch_one


def month_after(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def attached(url: str, table: str) -> list[str]:
    rows = fetch(
        url,
        "SELECT inhrelid::regclass::text AS name FROM pg_inherits WHERE inhparent = $1::regclass ORDER BY 1",
        table,
    )
    return [row["name"] for row in rows]


def test_partitions_creates_the_months_ahead_once(db_url: str) -> None:
    this_month = dt.datetime.now(dt.UTC).date().replace(day=1)
    before = {table: attached(db_url, table) for table in TABLES}
    # The migration made this month and 3 ahead, and DEFAULT.
    assert f"page_views_p{month_after(this_month, 3):%Y_%m}" in before["page_views"]
    assert "page_views_default" in before["page_views"]

    result = rastro("partitions", "--months-ahead", "5", database_url=db_url)
    assert result.returncode == 0, result.stderr
    for table in TABLES:
        new = [f"{table}_p{month_after(this_month, n):%Y_%m}" for n in (4, 5)]
        assert f"{table}: created {', '.join(new)}" in result.stdout
        assert attached(db_url, table) == sorted(before[table] + new)

    again = rastro("partitions", "--months-ahead", "5", database_url=db_url)
    assert again.returncode == 0, again.stderr
    assert again.stdout.split("\n")[:-1] == [f"{table}: up to date" for table in TABLES]
    assert {table: attached(db_url, table) for table in TABLES} == {
        table: sorted(before[table] + [f"{table}_p{month_after(this_month, n):%Y_%m}" for n in (4, 5)])
        for table in TABLES
    }


def test_partitions_moves_rows_of_a_new_month_out_of_default(seeded_db_url: str) -> None:
    later = month_after(dt.datetime.now(dt.UTC).date().replace(day=1), 14)
    execute(
        seeded_db_url,
        f"UPDATE page_views SET created_at = '{later} 12:00+00' "
        "WHERE view_id IN (SELECT view_id FROM page_views ORDER BY view_id LIMIT 7)",
    )
    total = fetch_one(seeded_db_url, "SELECT count(*) AS n FROM page_views")["n"]
    assert fetch_one(seeded_db_url, "SELECT count(*) AS n FROM page_views_default")["n"] == 7

    result = rastro("partitions", database_url=seeded_db_url)
    assert result.returncode == 0, result.stderr
    assert f"page_views: created page_views_p{later:%Y_%m}" in result.stdout
    assert fetch_one(seeded_db_url, "SELECT count(*) AS n FROM page_views_default")["n"] == 0
    assert fetch_one(seeded_db_url, f"SELECT count(*) AS n FROM page_views_p{later:%Y_%m}")["n"] == 7
    assert fetch_one(seeded_db_url, "SELECT count(*) AS n FROM page_views")["n"] == total


def test_retention_detaches_whole_months_older_than_the_period_and_drops_on_request(
    seeded_db_url: str,
) -> None:
    cutoff = "now() - interval '2 months'"
    old = fetch(
        seeded_db_url,
        "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = 'page_views'::regclass AND c.relname ~ '_p[0-9]{4}_[0-9]{2}$' "
        f"AND to_date(right(c.relname, 7), 'YYYY_MM') + interval '1 month' <= {cutoff} ORDER BY 1",
    )
    assert old, "the seed reaches more than two months back"
    counts = fetch_one(
        seeded_db_url,
        "SELECT count(*) AS total, count(*) FILTER (WHERE created_at < date_trunc('month', now() - "
        "interval '2 months' + interval '1 month') AND tableoid::regclass::text = ANY($1)) AS gone FROM page_views",
        [row["name"] for row in old],
    )
    assert 0 < counts["gone"] < counts["total"]

    result = rastro("retention", "--detach-after", "2", database_url=seeded_db_url)
    assert result.returncode == 0, result.stderr
    for row in old:
        assert f"page_views: detached {row['name']}" in result.stdout
    remaining = fetch_one(
        seeded_db_url,
        "SELECT count(*) AS n, min(created_at) > now() - interval '3 months' AS recent FROM page_views",
    )
    assert remaining["n"] == counts["total"] - counts["gone"]
    # A detached month is a table of its own, rows intact, out of every query.
    kept = sum(fetch_one(seeded_db_url, f"SELECT count(*) AS n FROM {row['name']}")["n"] for row in old)
    assert kept == counts["gone"]
    assert "page_views_default" in attached(seeded_db_url, "page_views")

    again = rastro("retention", "--detach-after", "2", "--drop", database_url=seeded_db_url)
    assert again.returncode == 0, again.stderr
    assert "page_views:" not in again.stdout  # nothing attached is that old any more

    newest_old = fetch(
        seeded_db_url,
        "SELECT inhrelid::regclass::text AS name FROM pg_inherits WHERE inhparent = 'page_views'::regclass "
        "AND inhrelid::regclass::text ~ '_p[0-9]{4}_[0-9]{2}$' ORDER BY 1 LIMIT 1",
    )[0]["name"]
    dropped = rastro("retention", "--detach-after", "1", "--drop", database_url=seeded_db_url)
    assert dropped.returncode == 0, dropped.stderr
    assert f"page_views: dropped {newest_old}" in dropped.stdout
    assert fetch_one(seeded_db_url, "SELECT to_regclass($1) IS NULL AS gone", newest_old)["gone"]
