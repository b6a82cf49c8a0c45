"""Marketing costs for ROI: rows of ad spend upserted per day, source, medium and campaign, all or nothing.

One code path for importMarketingCosts and `rastro import-costs`: check every row, then upsert.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy import Boolean, func, literal_column
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from models import MarketingCost
from resolvers.context import Context
from resolvers.mutations.input_checks import money_failures, text_failures
from resolvers.mutations.outcome import Failure, FieldPath, invalid
from resolvers.mutations.permissions import refuse_non_writers
from resolvers.mutations.register_offline_conversion import CURRENCY_CODE
from resolvers.mutations.transaction import write_transaction

# numeric(15, 4): 11 digits before the point, 4 after.
COST_LIMIT = Decimal(10) ** 11
COST_PLACES = 4
MAX_ROWS = 5000
# Rows per INSERT statement: well under PostgreSQL's 32,767 bind parameters (6 per row).
CHUNK = 1000


@dataclass(frozen=True)
class CostRow:
    date: dt.date
    source: str
    medium: str
    campaign: str
    cost: Decimal
    currency: str = "BRL"

    @property
    def key(self) -> tuple[dt.date, str, str, str]:
        return (self.date, self.source, self.medium, self.campaign)


@dataclass(frozen=True)
class CostCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class CostImport:
    counts: CostCounts | None = None
    errors: list[Failure] = field(default_factory=list)


def normalized(row: CostRow) -> CostRow:
    return replace(
        row,
        source=row.source.strip(),
        medium=row.medium.strip(),
        campaign=row.campaign.strip(),
        currency=row.currency.strip().upper(),
    )


def row_failures(row: CostRow, path: FieldPath) -> list[Failure]:
    currency = [] if CURRENCY_CODE.fullmatch(row.currency) else [
        invalid((*path, "currency"), "must be an ISO 4217 code, e.g. BRL")
    ]  # fmt: skip
    return [
        *text_failures(row.source, (*path, "source"), 255),
        *text_failures(row.medium, (*path, "medium"), 255),
        *text_failures(row.campaign, (*path, "campaign"), 255),
        *money_failures(row.cost, (*path, "cost"), COST_LIMIT, COST_PLACES),
        *currency,
    ]


def cost_failures(rows: Sequence[CostRow], path: FieldPath = ("input", "rows")) -> list[Failure]:
    """Every bad row and field, by index; a day and campaign given twice is refused (which one wins?)."""
    if not rows:
        return [invalid(path, "has no rows")]
    failures: list[Failure] = []
    first_of: dict[tuple[dt.date, str, str, str], int] = {}
    for index, row in enumerate(rows):
        failures += row_failures(row, (*path, str(index)))
        earlier = first_of.setdefault(row.key, index)
        if earlier != index:
            failures.append(
                invalid(
                    (*path, str(index)),
                    f"repeats row {earlier}: the same date, source, medium and campaign may appear once",
                )
            )
    return failures


async def upsert_costs(
    session: AsyncSession, rows: Sequence[CostRow], advance: Callable[[int], None] | None = None
) -> CostCounts:
    """Upsert checked rows in the caller's transaction; `advance(n)` after each chunk of n rows."""
    # One key order for every import, so concurrent imports of the same rows wait instead of deadlocking.
    ordered = sorted(rows, key=lambda row: row.key)
    created = updated = 0
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        values = [
            {"cost_date": r.date, "source": r.source, "medium": r.medium, "campaign": r.campaign,
             "cost": r.cost, "currency": r.currency}
            for r in chunk
        ]  # fmt: skip
        rows_in = insert(MarketingCost).values(values)
        new = rows_in.excluded
        statement: ReturningInsert[tuple[bool]] = rows_in.on_conflict_do_update(
            index_elements=["source", "medium", "campaign", "cost_date"],
            set_={"cost": new.cost, "currency": new.currency, "updated_at": func.now()},
            # A row that already says the same is left alone: a re-import changes nothing.
            where=(MarketingCost.cost != new.cost) | (MarketingCost.currency != new.currency),
        ).returning(literal_column("xmax = 0", Boolean))
        written = list((await session.execute(statement)).scalars())
        created += sum(1 for inserted in written if inserted)
        updated += sum(1 for inserted in written if not inserted)
        if advance is not None:
            advance(len(chunk))
    return CostCounts(created=created, updated=updated, unchanged=len(ordered) - created - updated)


async def import_marketing_costs(context: Context, rows: Sequence[CostRow]) -> CostImport:
    if errors := refuse_non_writers(context.principal):
        return CostImport(errors=errors)
    if len(rows) > MAX_ROWS:
        message = f"may have at most {MAX_ROWS} rows per call; split the import (rows are upserted)"
        return CostImport(errors=[invalid(("input", "rows"), message)])
    rows = [normalized(row) for row in rows]
    if errors := cost_failures(rows):
        return CostImport(errors=errors)
    async with write_transaction(context, "importMarketingCosts") as session:
        return CostImport(counts=await upsert_costs(session, rows))
