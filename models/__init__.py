"""Rastro's ORM models: one module per area, all sharing models.base.Base."""

from models.access import ApiKey
from models.accounts import DeliveryAccount
from models.activity import Event, PageView
from models.base import Base
from models.checkout import (
    Commission,
    Customer,
    MarketingCost,
    Offer,
    Product,
    Transaction,
    TransactionItem,
    TransactionStatus,
)
from models.checkout_history import (
    Invoice,
    OfferSnapshot,
    PaymentAttempt,
    PaymentMethod,
    PaymentType,
    TransactionUtm,
)
from models.checkout_webhooks import (
    CheckoutAccount,
    CheckoutEvent,
    ConversionAdjustment,
    Subscription,
    TransactionStatusChange,
)
from models.conversions import OfflineConversion, PlatformSyncLog
from models.data_subject import DataSubjectErasure
from models.leads import IntegrationLog, Lead, LeadStage
from models.outbox import ConversionOutbox
from models.tracking import Domain, LandingPage, Session, UtmTracking, VisitorJourney

__all__ = [
    "ApiKey",
    "Base",
    "CheckoutAccount",
    "CheckoutEvent",
    "Commission",
    "ConversionAdjustment",
    "ConversionOutbox",
    "Customer",
    "DataSubjectErasure",
    "DeliveryAccount",
    "Domain",
    "Event",
    "IntegrationLog",
    "Invoice",
    "LandingPage",
    "Lead",
    "LeadStage",
    "MarketingCost",
    "Offer",
    "OfferSnapshot",
    "OfflineConversion",
    "PageView",
    "PaymentAttempt",
    "PaymentMethod",
    "PaymentType",
    "PlatformSyncLog",
    "Product",
    "Session",
    "Subscription",
    "Transaction",
    "TransactionItem",
    "TransactionStatus",
    "TransactionStatusChange",
    "TransactionUtm",
    "UtmTracking",
    "VisitorJourney",
]
