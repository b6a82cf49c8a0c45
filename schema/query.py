"""The Query root, merged from one part per area."""

from strawberry.tools import merge_types

from schema.analytics.root import AnalyticsQuery
from schema.queries.checkout import CheckoutQuery
from schema.queries.data_subject import DataSubjectQuery
from schema.queries.deliveries import DeliveryQuery
from schema.queries.leads import LeadQuery
from schema.queries.tracking import TrackingQuery

Query = merge_types(
    "Query", (TrackingQuery, LeadQuery, CheckoutQuery, DeliveryQuery, AnalyticsQuery, DataSubjectQuery)
)
