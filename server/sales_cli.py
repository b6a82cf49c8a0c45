"""`rastro import FILE.csv`: past sales from a checkout's export, through ingestTransaction's code."""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console
from rich.progress import Progress
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Domain, PaymentMethod
from models.enums import SaleStatus
from resolvers.checkout.ingest import apply_checked, sale_failures
from resolvers.checkout.shape import Buyer, Item, OfferTerms, Payment, Sale, SubscriptionTerms, Tracking
from server.cli_database import DataDir, database, fail, with_sessions
from server.csv_import import ImportFileError, read_table, refuse_if_any
from server.settings import Settings

REQUIRED = (
    "platform",
    "transaction_id",
    "status",
    "occurred_at",
    "amount",
    "buyer_email",
    "product_id",
    "product_name",
)
OPTIONAL = (
    "status_detail",
    "order_date",
    "approved_at",
    "currency",
    "buyer_name",
    "buyer_phone",
    "buyer_document",
    "quantity",
    "unit_price",
    "offer_code",
    "offer_name",
    "offer_price",
    "coupon_code",
    "payment_method",
    "installments",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "src",
    "sck",
    "xcod",
    "subscription_id",
    "charge_number",
    "parent_transaction_id",
    "domain_id",
)
TRACKING = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "src", "sck", "xcod")
# Where ingestTransaction's field paths come from in the file.
COLUMN_OF = {
    "transactionId": "transaction_id",
    "statusDetail": "status_detail",
    "buyer.email": "buyer_email",
    "parentTransactionId": "parent_transaction_id",
    "items.0.externalId": "product_id",
    "items.0.unitPrice": "unit_price",
    "items.0.quantity": "quantity",
    "offer.code": "offer_code",
    "offer.couponCode": "coupon_code",
    "offer.price": "offer_price",
    "payment.installments": "installments",
    "subscription.subscriptionId": "subscription_id",
    "subscription.chargeNumber": "charge_number",
    "domainId": "domain_id",
}
CHUNK = 200  # rows per transaction: a long import never holds its locks for long


E = TypeVar("E", SaleStatus, PaymentMethod)


class CellError(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class Cells:
    """One CSV record's cells, trimmed; empty cells are None."""

    values: dict[str, str | None]
    zone: ZoneInfo | None

    def text(self, column: str) -> str | None:
        return self.values.get(column)

    def required(self, column: str) -> str:
        value = self.values.get(column)
        if value is None:
            raise CellError(column, "is empty")
        return value

    def moment(self, column: str) -> dt.datetime | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise CellError(
                column, f"{value!r} is not a date and time as YYYY-MM-DDTHH:MM[:SS][+HH:MM]"
            ) from None
        if moment.tzinfo is None:
            if self.zone is None:
                raise CellError(column, f"{value!r} has no UTC offset (add one, or pass --timezone)")
            moment = moment.replace(tzinfo=self.zone)
        return moment

    def money(self, column: str) -> Decimal | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            return Decimal(value)
        except InvalidOperation:
            raise CellError(column, f"{value!r} is not a number (decimal point: '.')") from None

    def integer(self, column: str) -> int | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            raise CellError(column, f"{value!r} is not a whole number") from None

    def choice(self, column: str, kind: type[E]) -> E | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            return kind(value.lower())
        except ValueError:
            raise CellError(column, f"{value!r} is not one of {', '.join(m.value for m in kind)}") from None


def sale_of(cells: Cells, domain: uuid.UUID | None) -> Sale:
    occurred = cells.moment("occurred_at")
    status = cells.choice("status", SaleStatus)
    amount = cells.money("amount")
    if occurred is None or status is None or amount is None:
        column = "occurred_at" if occurred is None else "status" if status is None else "amount"
        raise CellError(column, "is empty")
    quantity = cells.integer("quantity")
    quantity = 1 if quantity is None else quantity
    unit_price = cells.money("unit_price")
    if unit_price is None:  # the whole amount, split over the units
        unit_price = (amount / quantity).quantize(Decimal("0.0001")) if quantity > 0 else amount
    offer = OfferTerms(
        cells.text("offer_code"),
        cells.text("offer_name"),
        cells.money("offer_price"),
        cells.text("coupon_code"),
    )
    method, installments = cells.choice("payment_method", PaymentMethod), cells.integer("installments")
    tracking = Tracking(*(cells.text(column) for column in TRACKING))
    subscription_id = cells.text("subscription_id")
    try:
        domain_id = uuid.UUID(cells.text("domain_id") or "") if cells.text("domain_id") else domain
    except ValueError:
        raise CellError("domain_id", f"{cells.text('domain_id')!r} is not a UUID") from None
    return Sale(
        platform=cells.required("platform").lower(),
        transaction_id=cells.required("transaction_id"),
        status=status,
        status_detail=cells.text("status_detail") or status.value,
        occurred_at=occurred,
        order_date=cells.moment("order_date") or occurred,
        amount=amount,
        buyer=Buyer(
            cells.required("buyer_email"),
            cells.text("buyer_name"),
            cells.text("buyer_phone"),
            cells.text("buyer_document"),
        ),
        items=(
            Item(
                cells.required("product_id"),
                cells.required("product_name"),
                unit_price,
                quantity,
            ),
        ),
        currency=(cells.text("currency") or "BRL").upper(),
        approved_at=cells.moment("approved_at"),
        offer=offer if any(vars(offer).values()) else None,
        payment=None
        if method is None and installments is None
        else Payment(method, None, installments, amount),
        tracking=tracking if any(vars(tracking).values()) else None,
        subscription=None
        if subscription_id is None
        else SubscriptionTerms(subscription_id, charge_number=cells.integer("charge_number")),
        parent_transaction_id=cells.text("parent_transaction_id"),
        domain_id=domain_id,
    )


def read_sales(path: Path, zone: ZoneInfo | None, domain: uuid.UUID | None) -> list[Sale]:
    header, records, problems = read_table(path)
    name = path.name
    if missing := [column for column in REQUIRED if column not in header]:
        raise ImportFileError(f"{name}: the header lacks {', '.join(missing)}")
    if unknown := [column for column in header if column not in (*REQUIRED, *OPTIONAL)]:
        raise ImportFileError(f"{name}: unknown columns {', '.join(unknown)} (README: rastro import)")
    sales: list[Sale] = []
    for line, values in records:
        try:
            sale = sale_of(Cells(values, zone), domain)
        except CellError as error:
            problems.append(f"{name} line {line}, column {error.column}: {error}")
            continue
        for failure in sale_failures(sale, ()):
            column = COLUMN_OF.get(".".join(failure.field or ()), ".".join(failure.field or ()))
            problems.append(f"{name} line {line}, column {column}: {failure.message}")
        sales.append(sale)
    refuse_if_any(problems)
    return sales


@dataclass(frozen=True)
class ImportCounts:
    created: int
    known: int


async def store(
    sessions: async_sessionmaker[AsyncSession], sales: list[Sale], advance: Callable[[int], None]
) -> ImportCounts:
    created = 0
    domains = {sale.domain_id for sale in sales if sale.domain_id is not None}
    async with sessions() as session:
        found = set(
            (await session.scalars(select(Domain.domain_id).where(Domain.domain_id.in_(domains)))).all()
        )
    if missing := domains - found:
        raise ImportFileError(f"no domain {', '.join(sorted(map(str, missing)))}; nothing was imported")
    for start in range(0, len(sales), CHUNK):
        chunk = sales[start : start + CHUNK]
        async with sessions() as session, session.begin():
            for offset, sale in enumerate(chunk):
                outcome = await apply_checked(session, sale, ())
                if outcome.errors:
                    failure = outcome.errors[0]
                    raise ImportFileError(
                        f"line {start + offset + 2}: {failure.message}; rows before "
                        f"line {start + 2} were imported (run again: rows are idempotent)"
                    )
                created += outcome.created
        advance(len(chunk))
    return ImportCounts(created=created, known=len(sales) - created)


def register(app: typer.Typer) -> None:
    """Attach `rastro import` to the CLI."""

    @app.command("import")
    def import_sales(
        file: Annotated[Path, typer.Argument(help="CSV export of past sales (columns: see README).")],
        timezone: Annotated[
            str | None, typer.Option(help="Zone of times without an offset, e.g. America/Sao_Paulo.")
        ] = None,
        domain: Annotated[uuid.UUID | None, typer.Option(help="Domain of rows without domain_id.")] = None,
        data_dir: DataDir = None,
    ) -> None:
        """Load past sales: each row is one state of one transaction, applied like a webhook's."""
        try:
            zone = None if timezone is None else ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise fail(f"--timezone: unknown zone {timezone!r}") from None
        try:
            sales = read_sales(file, zone, domain)
        except ImportFileError as error:
            raise fail(str(error)) from None
        with database(Settings(), data_dir, migrate=True) as url:
            err = Console(stderr=True)
            with Progress(console=err, transient=True) as progress:
                task = progress.add_task(f"Importing {file.name}", total=len(sales))
                try:
                    counts = with_sessions(
                        url, lambda sessions: store(sessions, sales, lambda n: progress.advance(task, n))
                    )
                except ImportFileError as error:
                    raise fail(f"{file.name}: {error}") from None
        transactions = len({(sale.platform, sale.transaction_id) for sale in sales})
        Console().print(
            f"{len(sales)} rows from {file}: {transactions} transactions, {counts.created} new.",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
