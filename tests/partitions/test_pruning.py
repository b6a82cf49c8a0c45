"""Partition pruning, read from EXPLAIN ANALYZE of the statements the API runs: a session's page views and
events (the journey), and a report over a period, scan only the partitions of the months they can be in."""

import asyncio
import datetime as dt
import json
import re
from typing import Any

import asyncpg
from graphql import parse

from resolvers.analytics.landing_page_funnel import landing_page_funnel
from resolvers.analytics.period import Period
from resolvers.analytics.scope import Scope
from resolvers.analytics.statement import Statement
from resolvers.compiled.plan import Plan
from resolvers.context import Limits
from schema.schema import schema
from tests.sql import fetch, fetch_one

JOURNEY = """
query Journey($domainName: String!) {
  domain(domainName: $domainName) {
    sessions(first: 20) {
      nodes {
        sessionId
        pageViews(first: 10) { nodes { viewOrder } }
        events(first: 10) { nodes { eventType } }
      }
    }
  }
}
"""


async def _explain(url: str, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    connection = await asyncpg.connect(url)
    try:
        plan = await connection.fetchval(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", *params)
    finally:
        await connection.close()
    return list(json.loads(plan))


def scans(url: str, sql: str, params: list[Any], table: str) -> dict[str, int]:
    """The partitions of `table` left in the statement's plan, with how many times each was scanned."""
    found: dict[str, int] = {}

    def walk(node: dict[str, Any]) -> None:
        name = node.get("Relation Name", "")
        if name.startswith(f"{table}_"):
            found[name] = found.get(name, 0) + node["Actual Loops"]
        for child in node.get("Plans", []):
            walk(child)

    for statement in asyncio.run(_explain(url, sql, params)):
        walk(statement["Plan"])
    return found


def scanned(url: str, sql: str, params: list[Any], table: str) -> set[str]:
    """The partitions of `table` the statement read at least once."""
    return {name for name, loops in scans(url, sql, params, table).items() if loops > 0}


def partitions(url: str, table: str) -> set[str]:
    return {
        row["name"]
        for row in fetch(
            url,
            "SELECT inhrelid::regclass::text AS name FROM pg_inherits WHERE inhparent = $1::regclass",
            table,
        )
    }


def month_partition(table: str, instant: dt.datetime) -> str:
    return f"{table}_p{instant.astimezone(dt.UTC):%Y_%m}"


def test_a_sessions_page_views_and_events_skip_the_months_before_it_started(seeded_db_url: str) -> None:
    domain = fetch_one(seeded_db_url, "SELECT domain_name FROM domains ORDER BY domain_name LIMIT 1")[
        "domain_name"
    ]
    plan = Plan.build(schema._schema, parse(JOURNEY), None)
    assert plan is not None, "the journey is answered by one compiled statement"
    sql, params = plan.bind({"domainName": domain}, Limits(default_page_size=20, max_page_size=100), True)
    # The page's sessions (latest first) started in the last months; the seed's views go back further.
    earliest = fetch_one(
        seeded_db_url,
        "SELECT min(started_at) AS at FROM (SELECT s.started_at FROM sessions s JOIN domains d USING (domain_id) "
        "WHERE d.domain_name = $1 ORDER BY s.started_at DESC, s.session_id DESC LIMIT 20) p",
        domain,
    )["at"]
    for table in ("page_views", "events"):
        older = {
            name
            for name in partitions(seeded_db_url, table)
            if re.fullmatch(rf"{table}_p\d{{4}}_\d{{2}}", name) and name < month_partition(table, earliest)
        }
        holding = {
            row["p"]
            for row in fetch(seeded_db_url, f"SELECT DISTINCT tableoid::regclass::text AS p FROM {table}")
        }
        assert older & holding, f"the seed has {table} before the sessions' month: there is something to skip"
        read = scanned(seeded_db_url, sql, params, table)
        assert month_partition(table, earliest) in read, read
        assert not read & older, (
            f"{table}: partitions of months before the sessions started were read: {read & older}"
        )


def positional(sql: str, statement: Statement) -> tuple[str, list[Any]]:
    """A report's statement with asyncpg's $n placeholders instead of SQLAlchemy's :names."""
    names = list(statement.params)
    return re.sub(r"(?<!:):(p\d+)\b", lambda m: f"${names.index(m[1]) + 1}", sql), list(
        statement.params.values()
    )


def _report_reads(url: str, period: Period) -> set[str]:
    return scanned(url, *positional(*landing_page_funnel(Scope(None, period), live=False)), "page_views")


def test_a_report_over_a_period_reads_only_the_partitions_of_its_months(seeded_db_url: str) -> None:
    months = sorted(
        row["m"]
        for row in fetch(
            seeded_db_url,
            "SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS m FROM page_views",
        )
    )
    assert len(months) >= 3, months
    # The seed refreshed the report's view: the statement reads page views only for the leads' pages.
    for month in months[-3:-1]:
        # The middle of a past month, in UTC: only that month's partition holds its views.
        period = Period(month + dt.timedelta(days=5), month + dt.timedelta(days=20), "UTC")
        assert _report_reads(seeded_db_url, period) == {f"page_views_p{month:%Y_%m}"}
