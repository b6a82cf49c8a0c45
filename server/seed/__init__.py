"""Demo data for a migrated Rastro database: the engine behind ``rastro seed --scale N``.

The generator is set-based SQL shipped in ``server/seed/sql/NN_*.sql``, a port of the
reference ``synthetic.sql``: each part stages rows in temp tables and fills one area
(domains and pages, sessions, UTMs, leads, conversions, checkout catalog, transactions,
payments, invoices, costs, and doc 002's literal example ids).  Scale 1 is about 1,000
sessions and volumes grow linearly.

``seed_database`` runs every part on its own connection inside one transaction, so a
failure leaves the database as it was.  ``setseed`` fixes every random draw: two runs
produce the same rows except for timestamps, which follow the server's clock from one reference
instant: the latest noon UTC, so every seed of one day is the same (dates cut at midnight would
otherwise move rows between campaigns, and the random draws with them, hour by hour).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import asyncpg  # type: ignore[import-untyped]  # no stubs: connections and records are Any

from migrations.partitioning import MONTHS_AHEAD
from resolvers.analytics.materialized import VIEWS, View
from server.analytics_refresh import refresh_views
from server.partitions import ensure_partitions

__all__ = ["MAX_SCALE", "SEEDED_TABLES", "Progress", "SeedError", "SeedPart", "load_parts", "seed_database"]

# Every table of the reference schema except transaction_statuses, whose lookup rows migrations own,
# plus conversion_outbox, delivery_accounts and the checkout webhook tables, which reference seeded rows
# (the seed writes none of them).
SEEDED_TABLES: tuple[str, ...] = (
    "domains", "landing_pages", "sessions", "visitor_journeys", "utm_tracking", "page_views", "events",
    "leads", "lead_stages", "offline_conversions", "conversion_outbox", "integrations_log",
    "platform_sync_log", "customers", "products", "offers", "transactions", "transaction_items",
    "platform_commission", "marketing_costs", "platform_transaction_payment_history", "platform_utm_history",
    "platform_software_invoice_history", "platform_sale_offer_history", "delivery_accounts",
    "checkout_accounts", "checkout_events", "subscriptions", "transaction_status_history",
    "conversion_adjustments",
)  # fmt: skip

MAX_SCALE = 1000.0
RANDOM_SEED = 0.4242  # the reference generator's seed, so both draw the same rows
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")

Progress = Callable[[str, int, int], None]
"""Called after each part as ``progress(part_name, index, total)``; index counts from 1."""


class SeedError(RuntimeError):
    """The database cannot be seeded safely; nothing was changed."""


@dataclass(frozen=True)
class SeedPart:
    """One SQL file: ``name`` is its stem (``20_visitors_sessions``), ``sql`` its template text."""

    name: str
    sql: str


def load_parts() -> list[SeedPart]:
    """The parts shipped in ``sql/``, in run order (file names start with their position)."""
    folder = resources.files(__name__).joinpath("sql")
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    return [SeedPart(f.name.removesuffix(".sql"), f.read_text(encoding="utf-8")) for f in files]


def validate_scale(scale: float) -> float:
    """Return scale as a float, or raise ValueError unless 0 < scale <= MAX_SCALE."""
    # bool is an int subclass and NaN fails every comparison: both are rejected here.
    if isinstance(scale, bool) or not isinstance(scale, int | float) or not 0 < scale <= MAX_SCALE:
        raise ValueError(f"scale must be a number > 0 and <= {MAX_SCALE:g}, got {scale!r}")
    return float(scale)


REFERENCE_INSTANT = "SELECT date_trunc('day', now() - interval '12 hours') + interval '12 hours'"


def sql_literals(scale: float, now: datetime) -> dict[str, str]:
    """SQL literals for the placeholders, formatted from values this module produced, never user text."""
    return {
        "scale": repr(scale),  # a finite float's repr (1.0, 0.2, 1e-05) is a valid SQL numeric literal
        "syn_now": f"'{now.astimezone(UTC).isoformat()}'",
    }


def render(template: str, literals: Mapping[str, str]) -> str:
    """Fill ``{{name}}`` placeholders; an unknown name is a bug in a part, so it raises KeyError."""
    return _PLACEHOLDER.sub(lambda m: literals[m.group(1)], template)


async def seed_database(dsn: str, scale: float = 1.0, progress: Progress | None = None) -> dict[str, int]:
    """Replace the data of every seeded table with demo data at ``scale``; return rows per table.

    Other tables (api_keys, alembic_version, ...) and the transaction_statuses lookup rows are
    left alone.  Raises ValueError for a scale outside (0, MAX_SCALE] and SeedError when the
    database is not migrated or another table references a seeded one.
    """
    checked_scale = validate_scale(scale)
    parts = load_parts()
    conn = await asyncpg.connect(dsn, server_settings={"application_name": "rastro-seed"})
    try:
        async with conn.transaction():
            await _check_schema(conn)
            await conn.execute(f"TRUNCATE {', '.join(SEEDED_TABLES)} RESTART IDENTITY CASCADE")
            now: datetime = await conn.fetchval(REFERENCE_INSTANT)
            await conn.execute(f"SELECT setseed({RANDOM_SEED})")
            await _run_parts(conn, parts, sql_literals(checked_scale, now), progress)
            # The demo's past months landed in DEFAULT partitions: each moves to a partition of its own.
            await ensure_partitions(conn, MONTHS_AHEAD)
            await conn.execute(f"ANALYZE {', '.join(SEEDED_TABLES)}")
            # In the seed's transaction: a fresh demo's reports read views that match its data.
            await refresh_views(conn, concurrently=False, views=await _views_present(conn))
            return await _row_counts(conn)
    finally:
        await conn.close()


async def _views_present(conn: Any) -> list[View]:
    """The reports' views this database has: one migrated to an earlier revision has only some."""
    names = await conn.fetch("SELECT matviewname FROM pg_matviews WHERE schemaname = current_schema()")
    present = {row["matviewname"] for row in names}
    return [view for view in VIEWS if view.name in present]


async def _check_schema(conn: Any) -> None:
    """Refuse an unmigrated database, and one where TRUNCATE ... CASCADE would empty other tables."""
    tables = list(SEEDED_TABLES)
    missing = await conn.fetch("SELECT t FROM unnest($1::text[]) t WHERE to_regclass(t) IS NULL", tables)
    if missing:
        names = ", ".join(str(r["t"]) for r in missing)
        raise SeedError(f"database is not migrated (missing tables: {names}); run the migrations first")
    dependants = await conn.fetch(
        """
        WITH seeded AS (SELECT to_regclass(t)::oid AS rel FROM unnest($1::text[]) t)
        SELECT DISTINCT c.conrelid::regclass::text AS name
        FROM pg_constraint c
        WHERE c.contype = 'f' AND c.confrelid IN (SELECT rel FROM seeded)
          AND c.conrelid NOT IN (SELECT rel FROM seeded) AND c.conparentid = 0
        ORDER BY 1
        """,
        tables,
    )
    if dependants:
        names = ", ".join(str(r["name"]) for r in dependants)
        raise SeedError(f"refusing to seed: tables outside the seed reference seeded ones ({names})")


async def _run_parts(
    conn: Any, parts: list[SeedPart], literals: Mapping[str, str], progress: Progress | None
) -> None:
    """Execute each part as one multi-statement simple query, reporting progress after each."""
    for index, part in enumerate(parts, start=1):
        await conn.execute(render(part.sql, literals))
        if progress is not None:
            progress(part.name, index, len(parts))


async def _row_counts(conn: Any) -> dict[str, int]:
    """Rows per seeded table, in SEEDED_TABLES order."""
    return {table: int(await conn.fetchval(f"SELECT count(*) FROM {table}")) for table in SEEDED_TABLES}
