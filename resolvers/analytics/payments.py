"""Doc 002's payment reports: a customer's failure pattern, success rate per method, a support timeline."""

from resolvers.analytics.keys import CustomerKey, TransactionKey, customer_condition, transaction_condition
from resolvers.analytics.period import Period
from resolvers.analytics.statement import Statement, conditions, where

FAILURE_CODES = "('card_declined', 'processing_error')"
# Doc 002 filters status_id = 1, the approved status; looked up by its code rather than its number.
APPROVED = "(SELECT ts.id FROM transaction_statuses ts WHERE ts.code = 'approved')"


def card_kept(alias: str, column: str) -> str:
    """A payment's card data, null 2 years after it, as in the reference schema's retention view."""
    return f"CASE WHEN {alias}.payment_date > CURRENT_DATE - INTERVAL '2 years' THEN {alias}.{column} END"


def payment_failures(customer: CustomerKey, period: Period) -> tuple[str, Statement]:
    s = Statement()
    sql = f"""
SELECT ph.payment_date, ph.payment_method,
       {card_kept("ph", "card_brand")} AS card_brand,
       {card_kept("ph", "card_last_digits")} AS card_last_digits,
       ph.metadata->>'gateway_specific_code' AS error_code,
       ph.metadata->>'decline_code' AS decline_reason,
       t.transaction_id, t.platform
FROM platform_transaction_payment_history ph
JOIN transactions t ON t.id = ph.transaction_id
JOIN customers c ON c.id = t.customer_id
WHERE ph.metadata->>'gateway_specific_code' IN {FAILURE_CODES}
  AND {conditions([*customer_condition(s, "c", customer), *s.within("ph.payment_date", period)])}
ORDER BY ph.payment_date DESC NULLS LAST, ph.id DESC
"""
    return sql, s


def payment_success_rates(period: Period) -> tuple[str, Statement]:
    s = Statement()
    sql = f"""
SELECT ph.payment_method,
       count(*) AS attempts,
       count(*) FILTER (WHERE t.status_id = {APPROVED}) AS successful_payments,
       round(count(*) FILTER (WHERE t.status_id = {APPROVED}) * 100.0 / count(*), 2) AS success_rate
FROM platform_transaction_payment_history ph
JOIN transactions t ON t.id = ph.transaction_id
{where(s.within("ph.payment_date", period))}
GROUP BY ph.payment_method
ORDER BY success_rate DESC, attempts DESC, ph.payment_method
"""
    return sql, s


def support_timeline(transaction: TransactionKey) -> tuple[str, Statement]:
    s = Statement()
    sql = f"""
SELECT ph.payment_date, ph.payment_method, ph.value,
       CASE WHEN ph.metadata->>'gateway_specific_code' IN {FAILURE_CODES} THEN 'FAILED'
            WHEN t.status_id = {APPROVED} THEN 'SUCCEEDED'
            ELSE 'PENDING' END AS status,
       coalesce(ph.metadata->>'decline_code', ph.metadata->>'status_detail', 'N/A') AS details
FROM platform_transaction_payment_history ph
JOIN transactions t ON t.id = ph.transaction_id
WHERE {conditions(transaction_condition(s, "t", transaction))}
ORDER BY ph.payment_date NULLS LAST, ph.id
"""
    return sql, s
