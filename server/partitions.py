"""Monthly partitions of the append tables (migration 0025): made ahead by `rastro partitions`, old ones
detached by `rastro retention`.

The partitioned tables are read from the catalog: whatever a migration partitions is maintained here.
Where pg_partman manages a table (`partman.part_config` lists it), its maintenance runs instead of ours.
"""

from dataclasses import dataclass, field
from typing import Any

PARTITIONED = """
SELECT c.relname FROM pg_partitioned_table pt JOIN pg_class c ON c.oid = pt.partrelid
WHERE c.relnamespace = 'public'::regnamespace ORDER BY c.relname
"""
PARTMAN_TABLES = "SELECT parent_table FROM partman.part_config"

# A monthly partition's upper bound (partitions here are monthly: FROM the 1st TO the next 1st, in UTC).
MONTHS = """
SELECT c.relname AS name,
       (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz
         AS upper_bound
FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = to_regclass($1) AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
ORDER BY upper_bound
"""


@dataclass
class Made:
    """What `rastro partitions` did, per table."""

    created: dict[str, list[str]] = field(default_factory=dict)
    by_partman: list[str] = field(default_factory=list)


async def partitioned_tables(connection: Any) -> list[str]:
    return [row["relname"] for row in await connection.fetch(PARTITIONED)]


async def _partman_tables(connection: Any) -> set[str]:
    if await connection.fetchval("SELECT to_regclass('partman.part_config')") is None:
        return set()
    return {
        str(name).removeprefix("public.")
        for name in await connection.fetchval(
            f"SELECT coalesce(array_agg(parent_table), '{{}}') FROM ({PARTMAN_TABLES}) p"
        )
    }


async def ensure_partitions(connection: Any, months_ahead: int) -> Made:
    """Creates each table's partitions for the current month and `months_ahead` more, and for the months
    of rows that fell into the DEFAULT partition (moving them). Idempotent: existing months are kept."""
    made = Made()
    managed = await _partman_tables(connection)
    for table in await partitioned_tables(connection):
        if table in managed:
            await connection.execute("SELECT partman.run_maintenance($1)", f"public.{table}")
            made.by_partman.append(table)
            continue
        async with connection.transaction():
            rows = await connection.fetch(
                "SELECT rastro_ensure_partitions($1, $2) AS name", table, months_ahead
            )
        made.created[table] = [row["name"] for row in rows]
    return made


@dataclass(frozen=True)
class Detached:
    table: str
    partition: str
    dropped: bool


async def detach_old_partitions(connection: Any, months: int, drop: bool) -> list[Detached]:
    """Detaches (and with `drop`, drops) the monthly partitions whose every row is older than `months`.

    A detached partition is a plain table again, out of every query: kept for an archive (pg_dump it), or
    dropped. The DEFAULT partition is never touched: it may hold any month.
    """
    done = []
    cutoff = await connection.fetchval("SELECT now() - make_interval(months => $1)", months)
    for table in await partitioned_tables(connection):
        for row in await connection.fetch(MONTHS, table):
            if row["upper_bound"] > cutoff:
                break
            async with connection.transaction():
                await connection.execute(f'ALTER TABLE {table} DETACH PARTITION "{row["name"]}"')
                if drop:
                    await connection.execute(f'DROP TABLE "{row["name"]}"')
            done.append(Detached(table, row["name"], drop))
    return done
