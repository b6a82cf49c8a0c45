"""Every GraphQL object type, imported so Node lookups know each model."""

import schema.types.checkout_history  # noqa: F401
from schema.types import activity, checkout, conversions, deliveries, leads, tracking

__all__ = ["activity", "checkout", "conversions", "deliveries", "leads", "tracking"]
