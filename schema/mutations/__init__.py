"""The Mutation root, merged from one part per mutation."""

from strawberry.tools import merge_types

from schema.mutations.capture_lead import CaptureLeadMutation
from schema.mutations.change_lead_stage import ChangeLeadStageMutation
from schema.mutations.checkout_accounts import CheckoutAccountMutations
from schema.mutations.deliveries import DeliveryMutations
from schema.mutations.domains import DomainMutations
from schema.mutations.erase_data_subject import EraseDataSubjectMutation
from schema.mutations.ingest_keys import IngestKeyMutations
from schema.mutations.ingest_transaction import IngestTransactionMutation
from schema.mutations.landing_pages import LandingPageMutations
from schema.mutations.marketing_costs import MarketingCostMutations
from schema.mutations.register_offline_conversion import RegisterOfflineConversionMutation
from schema.mutations.track_events import TrackEventsMutation
from schema.mutations.track_visit import TrackVisitMutation
from schema.mutations.update_lead import UpdateLeadMutation

Mutation = merge_types(
    "Mutation",
    (
        ChangeLeadStageMutation,
        RegisterOfflineConversionMutation,
        UpdateLeadMutation,
        TrackVisitMutation,
        TrackEventsMutation,
        CaptureLeadMutation,
        DomainMutations,
        LandingPageMutations,
        IngestKeyMutations,
        DeliveryMutations,
        CheckoutAccountMutations,
        MarketingCostMutations,
        IngestTransactionMutation,
        EraseDataSubjectMutation,
    ),
)
