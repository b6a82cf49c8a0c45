"""Filters and sort orders of the transactions list: which sales, by their columns, status, offer, UTMs."""

import enum

import strawberry
from sqlalchemy import ColumnElement, exists, select

import models
from loaders.keyset import Ordering
from resolvers import orderings
from resolvers.context import Info
from resolvers.filters import Column, FilterSpec, Via, given_anywhere, ordering
from resolvers.personal_data import email_lookup_hash
from schema.filters import DateTimeFilter, DecimalFilter, StringFilter, UUIDFilter, root_filter
from schema.inputs import OrderDirection
from schema.personal import refuse_personal_lookup

UTM_CAPTURE = "A UTM capture of the sale has it (one capture meets every utm condition of a level)."


@root_filter("Which transactions: every given condition must hold.")
class TransactionFilter:
    transaction_id: StringFilter | None = strawberry.field(
        default=None, description="The checkout platform's order id."
    )
    platform: StringFilter | None = strawberry.field(
        default=None, description="Checkout platform (hotmart...)."
    )
    status_code: StringFilter | None = strawberry.field(
        default=None, description="Status code, e.g. approved."
    )
    order_date: DateTimeFilter | None = strawberry.field(default=None, description="When ordered.")
    offer_price: DecimalFilter | None = strawberry.field(default=None, description="The price paid.")
    customer_email: str | None = strawberry.field(
        default=None, description="The buyer's e-mail, any case, surrounding spaces ignored."
    )
    offer_code: StringFilter | None = strawberry.field(
        default=None, description="Sold under this offer code (as it was at sale time)."
    )
    tracking_source: StringFilter | None = strawberry.field(
        default=None, description="The platform's tracking source."
    )
    domain_id: UUIDFilter | None = strawberry.field(default=None, description="Sold on this domain.")
    utm_source: StringFilter | None = strawberry.field(default=None, description=UTM_CAPTURE)
    utm_medium: StringFilter | None = strawberry.field(default=None, description=UTM_CAPTURE)
    utm_campaign: StringFilter | None = strawberry.field(default=None, description=UTM_CAPTURE)
    utm_content: StringFilter | None = strawberry.field(default=None, description=UTM_CAPTURE)
    affiliate: StringFilter | None = strawberry.field(
        default=None, description="An affiliate commission of the sale went to this recipient."
    )


@strawberry.enum(description="What transactions are sorted by (ties broken by internal id).")
class TransactionOrderField(enum.Enum):
    ORDER_DATE = "order_date"
    OFFER_PRICE = "offer_price"
    CREATED_AT = "created_at"


@strawberry.input(description="Sort order of transactions; latest order first by default.")
class TransactionOrder:
    field: TransactionOrderField = strawberry.field(
        default=TransactionOrderField.ORDER_DATE, description="Sort column."
    )
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="Direction.")


def _status_of(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    s = models.TransactionStatus
    return models.Transaction.status_id.in_(select(s.id).where(*conditions))


def _snapshot_of(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    o = models.OfferSnapshot
    return exists(select(o.id).where(o.transaction_id == models.Transaction.id, *conditions))


def _utm_of(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    u = models.TransactionUtm
    return exists(select(u.id).where(u.transaction_id == models.Transaction.id, *conditions))


def _affiliate_of(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    p = models.Commission
    affiliate = (p.transaction_id == models.Transaction.id, p.source == "AFFILIATE")
    return exists(select(p.id).where(*affiliate, *conditions))


def _bought_by(email: str, _where: str) -> ColumnElement[bool]:
    c = models.Customer
    return models.Transaction.customer_id.in_(select(c.id).where(c.hashed_email == email_lookup_hash(email)))


UTM_OF_SALE = Via(_utm_of)
TRANSACTIONS = FilterSpec(
    {
        "transaction_id": Column(models.Transaction.transaction_id),
        "platform": Column(models.Transaction.platform),
        "status_code": Column(models.TransactionStatus.code, Via(_status_of)),
        "order_date": Column(models.Transaction.order_date),
        "offer_price": Column(models.Transaction.offer_price),
        "customer_email": _bought_by,
        "offer_code": Column(models.OfferSnapshot.code, Via(_snapshot_of)),
        "tracking_source": Column(models.Transaction.tracking_source),
        "domain_id": Column(models.Transaction.domain_id),
        "utm_source": Column(models.TransactionUtm.utm_source, UTM_OF_SALE),
        "utm_medium": Column(models.TransactionUtm.utm_medium, UTM_OF_SALE),
        "utm_campaign": Column(models.TransactionUtm.utm_campaign, UTM_OF_SALE),
        "utm_content": Column(models.TransactionUtm.utm_content, UTM_OF_SALE),
        "affiliate": Column(models.Commission.recipient_name, Via(_affiliate_of)),
    }
)
transaction_filters = TRANSACTIONS.where


def refuse_email_filter(info: Info, value: TransactionFilter | None) -> None:
    """A role that may not read e-mails may not filter by one either, at any depth of the filter."""
    found = given_anywhere(value, "customer_email")
    if found is not None:
        refuse_personal_lookup(info, *found)


def transaction_ordering(keys: list[TransactionOrder] | None) -> Ordering:
    return ordering(models.Transaction, orderings.TRANSACTIONS, keys)
