"""A connection in the compiled statement: a keyset window of rows aggregated with `array_agg`.

Its edges, nodes, cursors and page info are written from one window; `totalCount` counts apart, and only
when asked.
"""

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from graphql import FieldNode, GraphQLObjectType, get_named_type

from loaders import json_sql as q
from loaders.keyset import Ordering, connection_tag
from resolvers.compiled.conditions import place
from resolvers.compiled.sites import ConnectionDecision, ConnectionSite, Unsupported

if TYPE_CHECKING:
    from resolvers.compiled.compiler import Compiler


def connection(
    compiler: "Compiler",
    connection: Any,
    model: type[Any],
    site: ConnectionSite,
    filters: dict[str, Any],
    parent: list[tuple[Any, str]],
    nodes: list[FieldNode],
    since: Sequence[tuple[Any, str]] = (),
) -> str:
    """A page of `model` rows: keyset window, counted only when asked, cursors only when asked."""
    assert isinstance(connection, GraphQLObjectType)
    fields = compiler.collect(connection, compiler.subselections(nodes))
    # totalCount alone needs no window: its page arguments are checked, not sent.
    windowed = any(n[0].name.value in ("nodes", "edges", "pageInfo") for n in fields.values())
    counted = any(n[0].name.value == "totalCount" for n in fields.values())
    site = dataclasses.replace(site, windowed=windowed, filtered=windowed or counted)
    decision = compiler.site(site, site.default())
    assert isinstance(decision, ConnectionDecision)
    backward, has_cursor, given = decision.backward, decision.cursor, decision.given
    ordering = decision.ordering
    tag = connection_tag(model, ordering)
    limit = compiler.param() + "::int" if windowed else ""
    cursor = [compiler.param() for _ in ordering.columns] if has_cursor and windowed else []
    filter_params = {
        argument: compiler.param() for argument, present in zip(filters, given, strict=True) if present
    }
    where_first = compiler.params
    compiler.params += decision.where_params

    def conditions(alias: str) -> list[str]:
        found = [f"{q.column(alias, column)} = {value}" for column, value in parent]
        found += [f"{q.column(alias, column)} >= {value}" for column, value in since]
        found += [
            f"{q.column(alias, filters[argument])} = {param}::{q.param_type(filters[argument])}"
            for argument, param in filter_params.items()
        ]
        if decision.where is not None:
            found.append(f"({place(decision.where, alias, where_first)})")
        return found

    # A cursor given to a parent with no key: the Python path answers an empty page, no previous page.
    key_present = " AND ".join(f"{sql} IS NOT NULL" for _, sql in parent) or "true"
    cursor_given = f"({key_present})" if has_cursor else "false"

    node_type = get_named_type(connection.fields["nodes"].type)
    edge_type = get_named_type(connection.fields["edges"].type)
    rows = compiler.alias()
    aggregate = compiler.alias()
    need_more = any(key_nodes[0].name.value == "pageInfo" for key_nodes in fields.values())
    # Without pageInfo, the window is the page itself: no extra row, no row numbers, no count.
    numbered = f"{rows}.rastro_n {'DESC' if backward else 'ASC'}"
    page_order = numbered if need_more else q.order_by(ordering, rows, False)
    in_page = f" FILTER (WHERE {rows}.rastro_n <= {limit})" if need_more else ""
    # A forward window is read in page order already; PostgreSQL 15 would sort every page again (~12%).
    page_sort = f" ORDER BY {page_order}" if backward else ""

    aggregates: list[str] = ["count(*) AS rastro_count"] if need_more else []
    items: list[tuple[str, str]] = []
    for key, key_nodes in fields.items():
        field_name = key_nodes[0].name.value
        if field_name == "__typename":
            items.append((key, q.literal(connection.name)))
        elif field_name == "totalCount":
            count = compiler.alias()
            where = " AND ".join(conditions(count)) or "true"
            items.append((key, f"(SELECT count(*) FROM {q.table_name(model)} {count} WHERE {where})"))
        elif field_name in ("nodes", "edges"):
            if field_name == "nodes":
                element = compiler.record(
                    compiler.object_items(node_type, model, rows, compiler.subselections(key_nodes))
                )
            else:
                element = edge(compiler, edge_type, model, rows, tag, ordering, key_nodes)
            column = f"a{len(aggregates)}"
            # array_to_json writes the items compact, as the Python path does (json_agg puts ", " between).
            rows_json = f"array_to_json(array_agg({element}{page_sort}){in_page})"
            aggregates.append(f"coalesce({rows_json}, '[]') AS {column}")
            items.append((key, f"{aggregate}.{column}"))
        elif field_name == "pageInfo":
            first = f"a{len(aggregates)}"
            code = q.cursor(tag, ordering, rows)
            aggregates.append(f"(array_agg({code} ORDER BY {rows}.rastro_n){in_page})[1] AS {first}")
            last = f"a{len(aggregates)}"
            aggregates.append(f"(array_agg({code} ORDER BY {rows}.rastro_n DESC){in_page})[1] AS {last}")
            more = f"({aggregate}.rastro_count > {limit})"
            page_info = {
                "hasNextPage": cursor_given if backward else more,
                "hasPreviousPage": more if backward else cursor_given,
                "startCursor": f"{aggregate}.{last if backward else first}",
                "endCursor": f"{aggregate}.{first if backward else last}",
            }
            info_type = get_named_type(connection.fields["pageInfo"].type)
            info_fields = compiler.collect(info_type, compiler.subselections(key_nodes))
            info_items = [
                (
                    info_key,
                    q.literal(info_type.name)
                    if info_nodes[0].name.value == "__typename"
                    else page_info[info_nodes[0].name.value],
                )
                for info_key, info_nodes in info_fields.items()
            ]
            items.append((key, compiler.record(info_items)))
        else:
            raise Unsupported(field_name)

    inner = compiler.alias()
    window_where = conditions(inner)
    if has_cursor:
        window_where.append(q.after(ordering, inner, cursor, backward))
    if not aggregates:
        assert not windowed or all(key_nodes[0].name.value == "__typename" for key_nodes in fields.values())
        return compiler.record(items)
    window = (
        f"SELECT * FROM {q.table_name(model)} {inner} WHERE {' AND '.join(window_where) or 'true'} "
        f"ORDER BY {q.order_by(ordering, inner, backward)} LIMIT {limit}"
    )
    if need_more:
        window = f"SELECT {inner}.*, row_number() OVER () AS rastro_n FROM ({window} + 1) {inner}"
    source = f" FROM (SELECT {', '.join(aggregates)} FROM ({window}) {rows}) {aggregate}"
    return compiler.record(items, source)


def edge(
    compiler: "Compiler",
    edge_type: Any,
    model: type[Any],
    rows: str,
    tag: str,
    ordering: Ordering,
    nodes: list[FieldNode],
) -> str:
    items: list[tuple[str, str]] = []
    for key, key_nodes in compiler.collect(edge_type, compiler.subselections(nodes)).items():
        field_name = key_nodes[0].name.value
        if field_name == "__typename":
            items.append((key, q.literal(edge_type.name)))
        elif field_name == "cursor":
            items.append((key, q.cursor(tag, ordering, rows)))
        elif field_name == "node":
            node_type = get_named_type(edge_type.fields["node"].type)
            node_items = compiler.object_items(node_type, model, rows, compiler.subselections(key_nodes))
            items.append((key, compiler.record(node_items)))
        else:
            raise Unsupported(field_name)
    return compiler.record(items)
