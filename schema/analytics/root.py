"""`Query.analytics`: the one root every report hangs from; access is checked once, here."""

import strawberry
from strawberry.tools import merge_types

from loaders.relation import Namespace, reads
from resolvers.analytics.access import ANALYTICS_ROLES, check_analytics_access
from resolvers.context import Info
from schema.analytics.ab_tests import AbTestReports
from schema.analytics.attribution import AttributionReports
from schema.analytics.invoices import InvoiceReports
from schema.analytics.marketing import MarketingReports
from schema.analytics.offers import OfferReports
from schema.analytics.payments import PaymentReports
from schema.analytics.totals import TotalsReports
from schema.analytics.tracking import TrackingReports
from schema.analytics.transaction import TransactionReports

Analytics = merge_types(
    "Analytics",
    (
        TrackingReports,
        PaymentReports,
        MarketingReports,
        InvoiceReports,
        OfferReports,
        TransactionReports,
        TotalsReports,
        AttributionReports,
        AbTestReports,
    ),
)


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(
        description="Reports of the source documents, attribution models and A/B tests (analyst, admin; "
        "viewer without personal data).",
        metadata=reads(Namespace(ANALYTICS_ROLES)),
    )
    def analytics(self, info: Info) -> Analytics:  # type: ignore[valid-type]
        check_analytics_access(info)
        return Analytics()  # type: ignore[no-any-return]
