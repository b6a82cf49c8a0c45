"""Root fields for the checkout purchase history: customers, transactions, catalog, costs and statuses."""

import datetime as dt
from typing import Any, cast

import strawberry
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute

import models
from loaders.relation import Lookup, RootList, RootLookups, reads
from resolvers import orderings
from resolvers.context import Info
from resolvers.errors import ArgumentError
from resolvers.pages import root_connection
from resolvers.personal_data import email_lookup_hash
from schema.node import by_global_id, decode_key, exposed, lookup
from schema.pagination import Connection
from schema.personal import refuse_personal_lookup
from schema.queries.catalog_filters import (
    MARKETING_COSTS,
    OFFERS,
    PRODUCTS,
    MarketingCostFilter,
    OfferFilter,
    ProductFilter,
)
from schema.queries.transaction_filters import (
    TRANSACTIONS,
    TransactionFilter,
    TransactionOrder,
    refuse_email_filter,
    transaction_ordering,
)
from schema.types.checkout import (
    Customer,
    MarketingCost,
    Offer,
    Product,
    Transaction,
    TransactionStatus,
    customer_of_email_hash,
)


def equal(column: InstrumentedAttribute[Any], wanted: object) -> list[ColumnElement[bool]]:
    return [] if wanted is None else [column == wanted]


@strawberry.input(description="A range of days: from (inclusive) and to (exclusive); either may be omitted.")
class DateRange:
    from_: dt.date | None = strawberry.field(default=None, name="from", description="First day included.")
    to: dt.date | None = strawberry.field(default=None, description="First day no longer included.")


def in_dates(column: InstrumentedAttribute[dt.date], value: DateRange | None) -> list[ColumnElement[bool]]:
    if value is None:
        return []
    return [
        *([] if value.from_ is None else [column >= value.from_]),
        *([] if value.to is None else [column < value.to]),
    ]


@strawberry.type
class CheckoutQuery:
    @strawberry.field(
        description="One customer by global id, customerId or e-mail (any case); null when none matches.",
        metadata=reads(
            RootLookups(
                (
                    by_global_id(models.Customer.id),
                    Lookup(("customerId",), (models.Customer.id,)),
                    Lookup(
                        ("email",), (models.Customer.hashed_email,), orderings.CUSTOMERS, email_lookup_hash
                    ),
                )
            )
        ),
    )
    async def customer(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        customer_id: int | None = None,
        email: str | None = None,
    ) -> Customer | None:
        if sum(given is not None for given in (id, customer_id, email)) != 1:
            raise ArgumentError("id", "or 'customerId' or 'email': give exactly one")
        refuse_personal_lookup(info, "email", email)
        if email is not None:
            return exposed(Customer, await customer_of_email_hash(info, email_lookup_hash(email)))
        key = customer_id if id is None else decode_key(id, models.Customer)
        return await lookup(info, Customer, key, models.Customer.id)

    @strawberry.field(
        description="Customers by id; email keeps the one with that address (any case).",
        metadata=reads(
            RootList(
                models.Customer,
                orderings.CUSTOMERS,
                (("email", models.Customer.hashed_email),),
                (("email", email_lookup_hash),),
            )
        ),
    )
    async def customers(
        self,
        info: Info,
        email: str | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Customer]:
        refuse_personal_lookup(info, "email", email)
        where = equal(models.Customer.hashed_email, None if email is None else email_lookup_hash(email))
        page = await root_connection(
            info, models.Customer, where, orderings.CUSTOMERS, first, after, last, before
        )
        return Connection(page=page)

    @strawberry.field(
        description="One transaction by global id, internalId, or the platform's transactionId and platform; "
        "null when none matches.",
        metadata=reads(
            RootLookups(
                (
                    by_global_id(models.Transaction.id),
                    Lookup(("internalId",), (models.Transaction.id,)),
                    Lookup(
                        ("transactionId", "platform"),
                        (models.Transaction.transaction_id, models.Transaction.platform),
                    ),
                )
            )
        ),
    )
    async def transaction(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        internal_id: int | None = None,
        transaction_id: str | None = None,
        platform: str | None = None,
    ) -> Transaction | None:
        if sum(given is not None for given in (id, internal_id, transaction_id)) != 1:
            raise ArgumentError("id", "or 'internalId' or 'transactionId': give exactly one")
        if transaction_id is None:
            if platform is not None:
                raise ArgumentError("platform", "goes with 'transactionId' only")
            key = internal_id if id is None else decode_key(id, models.Transaction)
            return await lookup(info, Transaction, key, models.Transaction.id)
        if platform is None:
            raise ArgumentError("platform", "is required with 'transactionId' (ids are unique per platform)")
        t = models.Transaction
        return await lookup(info, Transaction, (transaction_id, platform), t.transaction_id, t.platform)

    @strawberry.field(
        description="Transactions matching a filter, latest order first unless orderBy says otherwise.",
        metadata=reads(
            RootList(
                models.Transaction,
                orderings.TRANSACTIONS,
                where=TRANSACTIONS.where,
                order=transaction_ordering,
            )
        ),
    )
    async def transactions(
        self,
        info: Info,
        filter: TransactionFilter | None = None,
        order_by: list[TransactionOrder] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Transaction]:
        refuse_email_filter(info, filter)
        page = await root_connection(
            info,
            models.Transaction,
            TRANSACTIONS.where(filter),
            transaction_ordering(order_by),
            first,
            after,
            last,
            before,
        )
        return Connection(page=page)

    @strawberry.field(
        description="Products by id; platform keeps one platform's, filter any.",
        metadata=reads(
            RootList(
                models.Product,
                orderings.PRODUCTS,
                (("platform", models.Product.platform),),
                where=PRODUCTS.where,
            )
        ),
    )
    async def products(
        self,
        info: Info,
        platform: str | None = None,
        filter: ProductFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Product]:
        where = [*equal(models.Product.platform, platform), *PRODUCTS.where(filter)]
        page = await root_connection(
            info, models.Product, where, orderings.PRODUCTS, first, after, last, before
        )
        return Connection(page=page)

    @strawberry.field(
        description="Offers by internal id; every given filter must hold.",
        metadata=reads(
            RootList(
                models.Offer,
                orderings.OFFERS,
                (
                    ("productId", models.Offer.product_id),
                    ("code", models.Offer.code),
                    ("isActive", models.Offer.is_active),
                ),
                where=OFFERS.where,
            )
        ),
    )
    async def offers(
        self,
        info: Info,
        product_id: int | None = None,
        code: str | None = None,
        is_active: bool | None = None,
        filter: OfferFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Offer]:
        o = models.Offer
        where = [*equal(o.product_id, product_id), *equal(o.code, code), *equal(o.is_active, is_active)]
        where += OFFERS.where(filter)
        page = await root_connection(info, o, where, orderings.OFFERS, first, after, last, before)
        return Connection(page=page)

    @strawberry.field(
        description="Ad spend, latest day first; every given filter must hold.",
        metadata=reads(
            RootList(
                models.MarketingCost,
                orderings.MARKETING_COSTS,
                (
                    ("source", models.MarketingCost.source),
                    ("medium", models.MarketingCost.medium),
                    ("campaign", models.MarketingCost.campaign),
                ),
                where=MARKETING_COSTS.where,
            )
        ),
    )
    async def marketing_costs(
        self,
        info: Info,
        source: str | None = None,
        medium: str | None = None,
        campaign: str | None = None,
        cost_date: DateRange | None = None,
        filter: MarketingCostFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[MarketingCost]:
        m = models.MarketingCost
        where = [
            *equal(m.source, source),
            *equal(m.medium, medium),
            *equal(m.campaign, campaign),
            *in_dates(m.cost_date, cost_date),
            *MARKETING_COSTS.where(filter),
        ]
        page = await root_connection(info, m, where, orderings.MARKETING_COSTS, first, after, last, before)
        return Connection(page=page)

    @strawberry.field(description="Every transaction status, by id.")
    async def transaction_statuses(self, info: Info) -> list[TransactionStatus]:
        # A small lookup table: one plain list, no pagination.
        statement = select(models.TransactionStatus).order_by(models.TransactionStatus.id)
        async with info.context.reads() as session:
            return cast(list[TransactionStatus], list((await session.execute(statement)).scalars()))
