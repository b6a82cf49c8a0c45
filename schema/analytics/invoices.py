"""Doc 002's fiscal reports: a customer's documents, monthly reconciliation, audit inconsistencies."""

import datetime as dt
import enum
from decimal import Decimal

import strawberry

from resolvers.analytics.invoices import customer_invoices, invoice_audit, invoice_reconciliation
from resolvers.context import Info
from schema.analytics.inputs import ReportPeriod, of_customer, over_period
from schema.analytics.report import Report, answer, compiled
from schema.personal import personal, refuse_personal_lookup


@strawberry.type(description="A product a customer bought and the fiscal document (NF-e) of the purchase.")
class CustomerInvoice:
    order_id: str = strawberry.field(description="The platform's id of the transaction.")
    platform: str
    product: str
    order_date: dt.datetime
    invoice_number: str | None
    issue_date: dt.datetime | None
    pdf_url: str | None = personal("Link to the DANFE.")


@strawberry.type(description="Fiscal documents issued in one local month, for reconciliation.")
class InvoiceMonth:
    month: dt.date = strawberry.field(description="First day of the month, in the report's time zone.")
    total_documents: int
    total_value: Decimal = strawberry.field(description="Value of the invoiced transactions.")
    cancelled_documents: int
    cancelled_value: Decimal | None = strawberry.field(description="Value of those cancelled; null without.")


@strawberry.enum(description="What is wrong with a purchase's fiscal document.")
class InvoiceSituation(enum.Enum):
    NO_INVOICE = "NO_INVOICE"
    LATE_INVOICE = "LATE_INVOICE"
    CANCELLED_BUT_ACTIVE = "CANCELLED_BUT_ACTIVE"


@strawberry.type(
    description="A purchase whose fiscal document is missing, late, or cancelled while it stands."
)
class InvoiceIssue:
    transaction_id: str = strawberry.field(description="The platform's id of the transaction.")
    platform: str
    order_date: dt.datetime
    transaction_value: Decimal
    invoice_number: str | None
    issue_date: dt.datetime | None
    situation: InvoiceSituation = strawberry.field(
        description="NO_INVOICE; LATE_INVOICE: issued more than 30 local days after the order; "
        "CANCELLED_BUT_ACTIVE: cancelled while the transaction is not refunded."
    )


customer_invoices_report = of_customer(customer_invoices)

invoice_reconciliation_report = over_period(invoice_reconciliation)

invoice_audit_report = over_period(invoice_audit)


@strawberry.type
class InvoiceReports:
    @strawberry.field(
        description="Doc 002: a customer's purchases ordered in the period (by id or e-mail), one row per "
        "product, with the fiscal document's number, date and PDF. Latest first.",
        metadata=compiled(customer_invoices_report),
    )
    async def customer_invoices(
        self,
        info: Info,
        customer_id: int | None = None,
        customer_email: str | None = None,
        period: ReportPeriod | None = None,
    ) -> Report[CustomerInvoice]:
        refuse_personal_lookup(info, "customerEmail", customer_email)
        return await answer(info, customer_invoices_report(customer_id, customer_email, period))

    @strawberry.field(
        description="Doc 002: fiscal documents issued in the period per local month: count, value, and "
        "those cancelled. Oldest month first.",
        metadata=compiled(invoice_reconciliation_report),
    )
    async def invoice_reconciliation(
        self, info: Info, period: ReportPeriod | None = None
    ) -> Report[InvoiceMonth]:
        return await answer(info, invoice_reconciliation_report(period))

    @strawberry.field(
        description="Doc 002: purchases ordered in the period whose fiscal document is missing, late or "
        "cancelled while the purchase stands. Oldest order first.",
        metadata=compiled(invoice_audit_report),
    )
    async def invoice_audit(self, info: Info, period: ReportPeriod | None = None) -> Report[InvoiceIssue]:
        return await answer(info, invoice_audit_report(period))
