"""Default orderings of every list: a meaningful sort column, then the primary key so the order is total."""

import models
from loaders.keyset import asc, desc

DOMAINS = asc("name", models.Domain.domain_name, models.Domain.domain_id)
LANDING_PAGES = asc("created", models.LandingPage.created_at, models.LandingPage.page_id)
SESSIONS = desc("started", models.Session.started_at, models.Session.session_id)
VISITOR_JOURNEYS = desc("last_visit", models.VisitorJourney.last_visit_at, models.VisitorJourney.journey_id)
UTM_TRACKINGS = asc("created", models.UtmTracking.created_at, models.UtmTracking.tracking_id)
PAGE_VIEWS = asc("order", models.PageView.session_id, models.PageView.view_order, models.PageView.view_id)
PAGE_VIEWS_BY_TIME = desc("created", models.PageView.created_at, models.PageView.view_id)
EVENTS = asc("created", models.Event.created_at, models.Event.event_id)
LEADS = desc("created", models.Lead.created_at, models.Lead.lead_id)
# Stages of the same instant in the order they were recorded: the later one is the lead's current stage.
LEAD_STAGES = asc("recorded", models.LeadStage.created_at, models.LeadStage.recorded_seq)
LATEST_STAGE = desc("latest", models.LeadStage.created_at, models.LeadStage.recorded_seq)
OFFLINE_CONVERSIONS = desc(
    "date", models.OfflineConversion.conversion_date, models.OfflineConversion.conversion_id
)
INTEGRATION_LOGS = desc("created", models.IntegrationLog.created_at, models.IntegrationLog.log_id)
PLATFORM_SYNC_LOGS = asc("created", models.PlatformSyncLog.created_at, models.PlatformSyncLog.sync_id)
LATEST_SYNC_LOGS = desc("latest", models.PlatformSyncLog.created_at, models.PlatformSyncLog.sync_id)
DELIVERIES = desc("queued", models.ConversionOutbox.created_at, models.ConversionOutbox.id)
CUSTOMERS = asc("id", models.Customer.id)
PRODUCTS = asc("id", models.Product.id)
OFFERS = asc("id", models.Offer.id)
TRANSACTIONS = desc("order_date", models.Transaction.order_date, models.Transaction.id)
TRANSACTION_ITEMS = asc("id", models.TransactionItem.id)
COMMISSIONS = asc("id", models.Commission.id)
PAYMENTS = asc("id", models.PaymentAttempt.id)
TRANSACTION_UTMS = asc("captured", models.TransactionUtm.capture_date, models.TransactionUtm.id)
INVOICES = asc("id", models.Invoice.id)
OFFER_SNAPSHOTS = asc("id", models.OfferSnapshot.id)
MARKETING_COSTS = desc("cost_date", models.MarketingCost.cost_date, models.MarketingCost.id)
