"""Every GraphQL object type, imported so Node lookups know each model."""

from schema.types import activity, checkout, conversions, leads, tracking

__all__ = ["activity", "checkout", "conversions", "leads", "tracking"]
