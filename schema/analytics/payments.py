"""Doc 002's payment reports: a customer's failures, success rate per method, a transaction's timeline."""

import datetime as dt
import enum
from decimal import Decimal

import strawberry

import models
from resolvers.analytics.payments import payment_failures, payment_success_rates, support_timeline
from resolvers.context import Info
from schema.analytics.inputs import ReportPeriod, of_customer, of_transaction, over_period
from schema.analytics.report import Report, answer, compiled
from schema.personal import personal, refuse_personal_lookup


@strawberry.type(description="A declined or failed payment attempt and what the gateway said.")
class PaymentFailure:
    payment_date: dt.datetime | None
    payment_method: models.PaymentMethod | None
    card_brand: str | None = personal("Card brand; null 2 years after the payment.")
    card_last_digits: str | None = personal("Last 4 digits of the card; null 2 years after the payment.")
    error_code: str | None = strawberry.field(description="The gateway's code (gateway_specific_code).")
    decline_reason: str | None = strawberry.field(description="The issuer's decline_code.")
    transaction_id: str = strawberry.field(description="The platform's id of the transaction.")
    platform: str


@strawberry.type(description="Attempts with one payment method and how many belong to approved sales.")
class PaymentMethodSuccess:
    payment_method: models.PaymentMethod | None
    attempts: int
    successful_payments: int = strawberry.field(description="Attempts of transactions now approved.")
    success_rate: Decimal = strawberry.field(description="% of attempts of approved transactions.")


@strawberry.enum(description="How a payment attempt ended, as support reads it.")
class PaymentOutcome(enum.Enum):
    FAILED = "FAILED"
    SUCCEEDED = "SUCCEEDED"
    PENDING = "PENDING"


@strawberry.type(description="One payment event of a transaction, in time order.")
class PaymentEvent:
    payment_date: dt.datetime | None
    payment_method: models.PaymentMethod | None
    value: Decimal | None
    status: PaymentOutcome = strawberry.field(
        description="FAILED: declined or processing error; SUCCEEDED: the transaction is approved; "
        "else PENDING."
    )
    details: str = strawberry.field(description="Decline code, else status detail, else 'N/A'.")


payment_failures_report = of_customer(payment_failures)

payment_success_rates_report = over_period(payment_success_rates)

support_timeline_report = of_transaction(support_timeline)


@strawberry.type
class PaymentReports:
    @strawberry.field(
        description="Doc 002: a customer's card declines and processing errors (by id or e-mail), with "
        "what the gateway said; attempts made in the period, latest first.",
        metadata=compiled(payment_failures_report),
    )
    async def payment_failures(
        self,
        info: Info,
        customer_id: int | None = None,
        customer_email: str | None = None,
        period: ReportPeriod | None = None,
    ) -> Report[PaymentFailure]:
        refuse_personal_lookup(info, "customerEmail", customer_email)
        return await answer(info, payment_failures_report(customer_id, customer_email, period))

    @strawberry.field(
        description="Doc 002: per payment method, the attempts made in the period and the share that "
        "belongs to approved transactions. Highest rate first.",
        metadata=compiled(payment_success_rates_report),
    )
    async def payment_success_rates(
        self, info: Info, period: ReportPeriod | None = None
    ) -> Report[PaymentMethodSuccess]:
        return await answer(info, payment_success_rates_report(period))

    @strawberry.field(
        description="Doc 002: a transaction's payment events for support, oldest first; by global id, "
        "internalId, or the platform's transactionId (platform optional).",
        metadata=compiled(support_timeline_report),
    )
    async def support_timeline(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        internal_id: int | None = None,
        transaction_id: str | None = None,
        platform: str | None = None,
    ) -> Report[PaymentEvent]:
        return await answer(info, support_timeline_report(id, internal_id, transaction_id, platform))
