"""Filters of the checkout catalog and spend lists: products, offers, marketing costs."""

import strawberry

import models
from resolvers.filters import Column, FilterSpec
from schema.filters import BooleanFilter, DateFilter, DecimalFilter, IntFilter, StringFilter, root_filter


@root_filter("Which products: every given condition must hold.")
class ProductFilter:
    product_id: IntFilter | None = strawberry.field(default=None, description="The internal id.")
    name: StringFilter | None = strawberry.field(default=None, description="The product's name.")
    platform: StringFilter | None = strawberry.field(default=None, description="Its checkout platform.")
    external_id: StringFilter | None = strawberry.field(default=None, description="The platform's id.")


@root_filter("Which offers: every given condition must hold.")
class OfferFilter:
    product_id: IntFilter | None = strawberry.field(default=None, description="Of this product.")
    code: StringFilter | None = strawberry.field(default=None, description="The offer code.")
    name: StringFilter | None = strawberry.field(default=None, description="The offer's name.")
    price: DecimalFilter | None = strawberry.field(default=None, description="Its price.")
    is_active: BooleanFilter | None = strawberry.field(default=None, description="On sale or not.")


@root_filter("Which ad spend rows: every given condition must hold.")
class MarketingCostFilter:
    source: StringFilter | None = strawberry.field(default=None, description="The utm_source it matches.")
    medium: StringFilter | None = strawberry.field(default=None, description="The utm_medium it matches.")
    campaign: StringFilter | None = strawberry.field(default=None, description="The utm_campaign it matches.")
    cost_date: DateFilter | None = strawberry.field(
        default=None, description="The day (or period) it covers."
    )
    cost: DecimalFilter | None = strawberry.field(default=None, description="The amount spent.")


PRODUCTS = FilterSpec(
    {
        "product_id": Column(models.Product.id),
        "name": Column(models.Product.name),
        "platform": Column(models.Product.platform),
        "external_id": Column(models.Product.external_id),
    }
)
OFFERS = FilterSpec(
    {
        "product_id": Column(models.Offer.product_id),
        "code": Column(models.Offer.code),
        "name": Column(models.Offer.name),
        "price": Column(models.Offer.price),
        "is_active": Column(models.Offer.is_active),
    }
)
MARKETING_COSTS = FilterSpec(
    {
        "source": Column(models.MarketingCost.source),
        "medium": Column(models.MarketingCost.medium),
        "campaign": Column(models.MarketingCost.campaign),
        "cost_date": Column(models.MarketingCost.cost_date),
        "cost": Column(models.MarketingCost.cost),
    }
)
