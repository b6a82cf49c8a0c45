"""Doc 002's fiscal reports: a customer's documents, the monthly reconciliation, inconsistencies for audit."""

from resolvers.analytics.keys import CustomerKey, customer_condition
from resolvers.analytics.period import Period
from resolvers.analytics.statement import Statement, conditions, where

REFUNDED = "(SELECT ts.id FROM transaction_statuses ts WHERE ts.status = 'Reembolsada')"


def customer_invoices(customer: CustomerKey, period: Period) -> tuple[str, Statement]:
    s = Statement()
    clauses = [*customer_condition(s, "c", customer), *s.within("t.order_date", period)]
    sql = f"""
SELECT t.transaction_id AS order_id, t.platform, p.name AS product, t.order_date,
       psih.invoice_number, psih.issue_date, psih.pdf_url
FROM customers c
JOIN transactions t ON t.customer_id = c.id
JOIN transaction_items ti ON ti.transaction_id = t.id
JOIN products p ON p.id = ti.product_id
LEFT JOIN platform_software_invoice_history psih ON psih.transaction_id = t.id
WHERE {conditions(clauses)}
ORDER BY t.order_date DESC, t.id, p.id, psih.id
"""
    return sql, s


def invoice_reconciliation(period: Period) -> tuple[str, Statement]:
    s = Statement()
    month = f"date_trunc('month', {s.local('psih.issue_date', period)})::date"
    sql = f"""
SELECT {month} AS month,
       count(*) AS total_documents,
       sum(t.offer_price) AS total_value,
       count(*) FILTER (WHERE psih.status = 'Cancelada') AS cancelled_documents,
       sum(t.offer_price) FILTER (WHERE psih.status = 'Cancelada') AS cancelled_value
FROM platform_software_invoice_history psih
JOIN transactions t ON t.id = psih.transaction_id
{where(s.within("psih.issue_date", period))}
GROUP BY 1
ORDER BY 1
"""
    return sql, s


def invoice_audit(period: Period) -> tuple[str, Statement]:
    """Purchases without an invoice, invoiced over 30 days late, or cancelled while the sale stands."""
    s = Statement()
    late = f"{s.local('psih.issue_date', period)}::date > {s.local('t.order_date', period)}::date + 30"
    cancelled = f"psih.status = 'Cancelada' AND t.status_id <> {REFUNDED}"
    clauses = [*s.within("t.order_date", period), f"(psih.invoice_number IS NULL OR {late} OR ({cancelled}))"]
    sql = f"""
SELECT t.transaction_id, t.platform, t.order_date, t.offer_price AS transaction_value,
       psih.invoice_number, psih.issue_date,
       CASE WHEN psih.invoice_number IS NULL THEN 'NO_INVOICE'
            WHEN {late} THEN 'LATE_INVOICE'
            WHEN {cancelled} THEN 'CANCELLED_BUT_ACTIVE' END AS situation
FROM transactions t
LEFT JOIN platform_software_invoice_history psih ON psih.transaction_id = t.id
WHERE {conditions(clauses)}
ORDER BY t.order_date, t.id, psih.id
"""
    return sql, s
