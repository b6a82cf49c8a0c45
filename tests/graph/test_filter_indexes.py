"""Each filter is one SQL condition an index serves: EXPLAIN of the conditions the translator writes.

The seeded database is small, so sequential scans are priced out (`enable_seqscan = off`): the plan then
shows whether an index CAN serve the condition, which is what a larger table needs.
"""

import asyncio
import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect

import models
from models.enums import DeliveryStatus
from resolvers.filters import FilterSpec
from schema.filters import DateTimeFilter, DecimalFilter, EnumFilter, SearchableStringFilter, StringFilter
from schema.filters import UUIDFilter as Ids
from schema.queries.deliveries import (
    DELIVERIES,
    INTEGRATION_LOGS,
    ConversionDeliveryFilter,
    IntegrationLogFilter,
)
from schema.queries.leads import CONVERSIONS, LEADS, LeadFilter, OfflineConversionFilter
from schema.queries.tracking import SESSIONS, SessionFilter
from schema.queries.transaction_filters import TRANSACTIONS, TransactionFilter

SINCE = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
UNTIL = dt.datetime(2024, 2, 1, tzinfo=dt.UTC)
SCANS = {"Index Scan", "Index Only Scan", "Bitmap Index Scan"}

CASES = [
    (LEADS, models.Lead, LeadFilter(score=StringFilter(eq="A")), "idx_leads_lead_score"),
    (LEADS, models.Lead, LeadFilter(score=StringFilter(in_=["A", "B"])), "idx_leads_lead_score"),
    (LEADS, models.Lead, LeadFilter(created=DateTimeFilter(gte=SINCE, lt=UNTIL)), "idx_leads_created_at"),
    (LEADS, models.Lead, LeadFilter(external_id=StringFilter(is_null=True)), "idx_leads_external_id"),
    (LEADS, models.Lead, LeadFilter(lead_id=Ids(in_=[uuid.uuid4(), uuid.uuid4()])), "leads_pkey"),
    (SESSIONS, models.Session, SessionFilter(visitor_id=StringFilter(eq="v-1")), "idx_sessions_visitor_id"),
    (SESSIONS, models.Session, SessionFilter(started=DateTimeFilter(gt=SINCE)), "idx_sessions_started_at"),
    (
        TRANSACTIONS,
        models.Transaction,
        TransactionFilter(offer_price=DecimalFilter(gte=Decimal("1000"))),
        "idx_transactions_offer_price",
    ),
    (
        TRANSACTIONS,
        models.Transaction,
        TransactionFilter(order_date=DateTimeFilter(lte=SINCE)),
        "idx_transactions_order_date",
    ),
    (
        CONVERSIONS,
        models.OfflineConversion,
        OfflineConversionFilter(conversion_date=DateTimeFilter(gte=SINCE)),
        "idx_offline_conversions_date",
    ),
    (
        DELIVERIES,
        models.ConversionOutbox,
        ConversionDeliveryFilter(status=EnumFilter(eq=DeliveryStatus.DELIVERED)),
        "idx_conversion_outbox_status",
    ),
    (
        INTEGRATION_LOGS,
        models.IntegrationLog,
        IntegrationLogFilter(error_message=SearchableStringFilter(contains="timeout")),
        "idx_integrations_log_error_trgm",
    ),
]


def scanned_indexes(plan: dict[str, Any]) -> set[str]:
    found = {plan["Index Name"]} if plan.get("Node Type") in SCANS else set()
    for child in plan.get("Plans", []):
        found |= scanned_indexes(child)
    return found


# A partitioned table's index is scanned through its partitions' indexes: each named after its parent.
PARENT_INDEXES = """
SELECT c.relname AS index, p.relname AS parent FROM pg_inherits i
JOIN pg_class c ON c.oid = i.inhrelid AND c.relkind = 'i' JOIN pg_class p ON p.oid = i.inhparent
"""


async def explain(url: str, sql: str, params: list[Any]) -> tuple[dict[str, Any], dict[str, str]]:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("SET enable_seqscan = off")
        plan = json.loads(await connection.fetchval(f"EXPLAIN (FORMAT JSON) {sql}", *params))
        parents = {row["index"]: row["parent"] for row in await connection.fetch(PARENT_INDEXES)}
        return dict(plan[0]["Plan"]), parents
    finally:
        await connection.close()


@pytest.mark.parametrize(("spec", "model", "value", "index"), CASES, ids=[case[3] for case in CASES])
def test_each_filter_is_a_condition_an_index_serves(
    seeded_db_url: str, spec: FilterSpec, model: type[Any], value: Any, index: str
) -> None:
    key = model.__mapper__.primary_key[0]
    statement = select(key).where(*spec.where(value))
    compiled = statement.compile(
        dialect=asyncpg_dialect.dialect(), compile_kwargs={"render_postcompile": True}
    )
    params = [compiled.params[name] for name in compiled.positiontup or ()]
    if index.endswith("_trgm") and not asyncio.run(has_trigrams(seeded_db_url)):
        pytest.skip("this PostgreSQL has no pg_trgm: contains scans (docs/decisions/filters.md)")
    plan, parents = asyncio.run(explain(seeded_db_url, str(compiled), params))
    scanned = scanned_indexes(plan)
    assert index in scanned | {parents[name] for name in scanned if name in parents}, (str(compiled), plan)


async def has_trigrams(url: str) -> bool:
    connection = await asyncpg.connect(url)
    try:
        return bool(await connection.fetchval("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"))
    finally:
        await connection.close()
