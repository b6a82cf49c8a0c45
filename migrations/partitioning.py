"""A table made partitioned by month on `created_at` (and back), keeping its rows and everything around it.

Keys, indexes, foreign keys, triggers, owned sequences and dependent views are read from the catalog, so
columns and indexes that earlier migrations added are carried over without being listed here.
"""

from dataclasses import dataclass

from alembic import op
from sqlalchemy import text

from migrations.raw_sql import run_script

KEY = "created_at"
# Months created ahead of the current one; `rastro partitions` keeps this many ahead afterwards.
MONTHS_AHEAD = 3

# Creates a table's missing monthly partitions: the next months, and those of rows in the DEFAULT partition
# (moved out of it into theirs). One definition, called by the migration, `rastro partitions` and the seed.
ENSURE_PARTITIONS = """
CREATE FUNCTION rastro_ensure_partitions(p_table regclass, p_months_ahead integer)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    v_key text;
    v_default regclass;
    v_months date[];
    v_month date;
    v_name text;
    v_from timestamptz;
    v_to timestamptz;
BEGIN
    SELECT a.attname, nullif(pt.partdefid, 0)::regclass INTO v_key, v_default
    FROM pg_partitioned_table pt
    JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
    WHERE pt.partrelid = p_table;
    IF v_key IS NULL THEN
        RAISE EXCEPTION 'table % is not partitioned', p_table;
    END IF;
    SELECT array_agg(m::date) INTO v_months FROM generate_series(
        date_trunc('month', now() AT TIME ZONE 'UTC'),
        date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => p_months_ahead),
        interval '1 month') m;
    IF v_default IS NOT NULL THEN
        EXECUTE format('SELECT %L::date[] || array_agg(DISTINCT'
                       ' date_trunc(''month'', %I AT TIME ZONE ''UTC'')::date) FROM %s',
                       v_months, v_key, v_default) INTO v_months;
    END IF;
    FOR v_month IN SELECT DISTINCT m FROM unnest(v_months) m WHERE m IS NOT NULL ORDER BY m LOOP
        v_name := format('%s_p%s', (SELECT relname FROM pg_class WHERE oid = p_table),
                         to_char(v_month, 'YYYY_MM'));
        -- A detached partition keeps its name: its month is not made again (its rows stay in DEFAULT).
        CONTINUE WHEN to_regclass(quote_ident(v_name)) IS NOT NULL;
        v_from := v_month::timestamp AT TIME ZONE 'UTC';
        v_to := (v_month + interval '1 month')::timestamp AT TIME ZONE 'UTC';
        EXECUTE format('CREATE TABLE %I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', v_name, p_table);
        IF v_default IS NOT NULL THEN
            EXECUTE format('WITH moved AS (DELETE FROM %s WHERE %I >= %L AND %I < %L RETURNING *)'
                           ' INSERT INTO %I SELECT * FROM moved',
                           v_default, v_key, v_from, v_key, v_to, v_name);
        END IF;
        EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                       p_table, v_name, v_from, v_to);
        RETURN NEXT v_name;
    END LOOP;
END $$;
"""


@dataclass(frozen=True)
class DependentView:
    name: str
    materialized: bool
    definition: str
    populated: bool
    indexes: list[str]

    def drop(self) -> str:
        return f"DROP {'MATERIALIZED ' if self.materialized else ''}VIEW {self.name};"

    def create(self) -> str:
        body = self.definition.strip().rstrip(";")
        if self.materialized:
            data = "WITH DATA" if self.populated else "WITH NO DATA"
            statements = [f"CREATE MATERIALIZED VIEW {self.name} AS {body} {data};"]
        else:
            statements = [f"CREATE VIEW {self.name} AS {body};"]
        return "\n".join(statements + [f"{index};" for index in self.indexes])


def _rows(sql: str, **params: object) -> list[tuple[object, ...]]:
    return [tuple(row) for row in op.get_bind().execute(text(sql), params)]


def _dependent_views(table: str) -> list[DependentView]:
    """Views over the table (and views over those), in an order they can be created in."""
    rows = _rows(
        """
        WITH RECURSIVE deps(oid, level) AS (
            SELECT r.ev_class, 1 FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
            WHERE d.refobjid = CAST(:table AS regclass) AND r.ev_class <> d.refobjid
            UNION
            SELECT r.ev_class, deps.level + 1 FROM deps
            JOIN pg_depend d ON d.refobjid = deps.oid JOIN pg_rewrite r ON r.oid = d.objid
            WHERE r.ev_class <> deps.oid
        )
        SELECT c.relname, c.relkind = 'm', pg_get_viewdef(c.oid), c.relispopulated,
               ARRAY(SELECT indexdef FROM pg_indexes i WHERE i.tablename = c.relname ORDER BY indexname)
        FROM (SELECT oid, max(level) AS level FROM deps GROUP BY oid) v JOIN pg_class c ON c.oid = v.oid
        ORDER BY v.level, c.relname
        """,
        table=table,
    )
    return [DependentView(str(n), bool(m), str(d), bool(p), list(i)) for n, m, d, p, i in rows]  # type: ignore[call-overload]


@dataclass(frozen=True)
class Surroundings:
    """What is rebuilt around the table's new version: all SQL read from the catalog."""

    keys: list[tuple[str, str, list[str]]]  # name, PRIMARY KEY or UNIQUE, columns
    foreign_keys: list[tuple[str, str]]  # name, definition
    indexes: list[str]
    triggers: list[str]
    sequences: list[tuple[str, str]]  # sequence, column it belongs to
    views: list[DependentView]


def _surroundings(table: str) -> Surroundings:
    referenced = _rows(
        "SELECT conrelid::regclass::text FROM pg_constraint WHERE confrelid = CAST(:t AS regclass) "
        "AND contype = 'f' AND conparentid = 0",
        t=table,
    )
    if referenced:
        raise RuntimeError(f"{table} is referenced by foreign keys of {referenced}: not partitioned")
    keys = _rows(
        """
        SELECT c.conname, CASE c.contype WHEN 'p' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END,
               ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i)
        FROM pg_constraint c WHERE c.conrelid = CAST(:t AS regclass) AND c.contype IN ('p', 'u')
        ORDER BY c.contype, c.conname
        """,
        t=table,
    )
    foreign_keys = _rows(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = CAST(:t AS regclass) AND contype = 'f' ORDER BY conname",
        t=table,
    )
    indexes = _rows(
        """
        SELECT replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ') FROM pg_index i
        WHERE i.indrelid = CAST(:t AS regclass)
          AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1
        """,
        t=table,
    )
    triggers = _rows(
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = CAST(:t AS regclass) "
        "AND NOT tgisinternal ORDER BY tgname",
        t=table,
    )
    sequences = _rows(
        """
        SELECT s.oid::regclass::text, a.attname FROM pg_depend d
        JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
        JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE d.refobjid = CAST(:t AS regclass) AND d.deptype = 'a'
        """,
        t=table,
    )
    return Surroundings(
        [(str(n), str(k), list(c)) for n, k, c in keys],  # type: ignore[call-overload]
        [(str(n), str(d)) for n, d in foreign_keys],
        [str(row[0]) for row in indexes],
        [str(row[0]) for row in triggers],
        [(str(s), str(c)) for s, c in sequences],
        _dependent_views(table),
    )


def _replace(table: str, create: str, around: Surroundings, keys: list[tuple[str, str, list[str]]]) -> None:
    """Swaps the table for `{table}_new` (made by `create` from it), moving its rows and rebuilding around."""
    statements = [create, f"INSERT INTO {table}_new SELECT * FROM {table};"]
    statements += [view.drop() for view in reversed(around.views)]
    statements += [f"ALTER SEQUENCE {sequence} OWNED BY NONE;" for sequence, _ in around.sequences]
    statements += [f"DROP TABLE {table};", f"ALTER TABLE {table}_new RENAME TO {table};"]
    statements += [
        f"ALTER TABLE {table} ADD CONSTRAINT {name} {kind} ({', '.join(columns)});"
        for name, kind, columns in keys
    ]
    statements += [
        f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition};" for name, definition in around.foreign_keys
    ]
    statements += [f"{index};" for index in around.indexes]
    statements += [f"{trigger};" for trigger in around.triggers]
    statements += [
        f"ALTER SEQUENCE {sequence} OWNED BY {table}.{column};" for sequence, column in around.sequences
    ]
    statements += [view.create() for view in around.views]
    statements.append(f"ANALYZE {table};")
    run_script("\n".join(statements))


def partition(table: str) -> None:
    """Makes `table` partitioned by month on created_at: a partition per month of its rows, the next
    MONTHS_AHEAD months, and a DEFAULT one; primary and unique keys gain created_at."""
    around = _surroundings(table)
    months = _rows(
        f"SELECT DISTINCT date_trunc('month', {KEY} AT TIME ZONE 'UTC')::date::text FROM {table} ORDER BY 1"
    )
    like = (
        "INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS INCLUDING STATISTICS"
    )
    create = [
        f"CREATE TABLE {table}_new (LIKE {table} {like}) PARTITION BY RANGE ({KEY});",
        f"CREATE TABLE {table}_default PARTITION OF {table}_new DEFAULT;",
    ]
    for (month,) in months:
        name = f"{table}_p{str(month)[:7].replace('-', '_')}"
        create.append(
            f"CREATE TABLE {name} PARTITION OF {table}_new FOR VALUES FROM ('{month} 00:00+00') "
            f"TO (('{month}'::date + interval '1 month')::timestamp AT TIME ZONE 'UTC');"
        )
    keys = [
        (name, kind, columns if KEY in columns else [*columns, KEY]) for name, kind, columns in around.keys
    ]
    _replace(table, "\n".join(create), around, keys)
    run_script(f"SELECT rastro_ensure_partitions('{table}', {MONTHS_AHEAD});")


def unpartition(table: str) -> None:
    """Back to one plain table holding every attached partition's rows; keys lose created_at again."""
    around = _surroundings(table)
    create = (
        f"CREATE TABLE {table}_new (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
        "INCLUDING STORAGE INCLUDING COMMENTS INCLUDING STATISTICS);"
    )
    keys = [(name, kind, [c for c in columns if c != KEY]) for name, kind, columns in around.keys]
    _replace(table, create, around, keys)
