"""Doc 002's offer reports: how an offer changed, what one sale was offered, and each version's results."""

from resolvers.analytics.keys import TransactionKey, transaction_condition
from resolvers.analytics.period import Period
from resolvers.analytics.statement import Statement, conditions, where


def offer_changes(offer_id: str, period: Period) -> tuple[str, Statement]:
    s = Statement()
    clauses = [f"psoh.offer_id = {s.bind(offer_id)}", *s.within("t.order_date", period)]
    sql = f"""
SELECT min(t.order_date) AS first_sale, max(t.order_date) AS latest_sale,
       psoh.offer_name, psoh.description, count(*) AS total_sales
FROM platform_sale_offer_history psoh
JOIN transactions t ON t.id = psoh.transaction_id
WHERE {conditions(clauses)}
GROUP BY psoh.offer_name, psoh.description
ORDER BY first_sale, psoh.offer_name, psoh.description
"""
    return sql, s


def transaction_offer(transaction: TransactionKey) -> tuple[str, Statement]:
    s = Statement()
    sql = f"""
SELECT t.transaction_id, t.platform, t.order_date, c.name AS customer_name, c.email,
       psoh.offer_name, psoh.description,
       o.name AS current_offer_name, o.description AS current_offer_description,
       CASE WHEN psoh.offer_name <> o.name OR psoh.description <> o.description
            THEN 'MODIFIED' ELSE 'SAME' END AS offer_status
FROM transactions t
JOIN customers c ON c.id = t.customer_id
JOIN platform_sale_offer_history psoh ON psoh.transaction_id = t.id
LEFT JOIN offers o ON o.offer_id = psoh.offer_id
WHERE {conditions(transaction_condition(s, "t", transaction))}
ORDER BY t.id, psoh.id
"""
    return sql, s


def offer_versions(code: str, period: Period) -> tuple[str, Statement]:
    s = Statement()
    clauses = [f"psoh.code = {s.bind(code)}", *s.within("t.order_date", period)]
    sql = f"""
SELECT substring(psoh.offer_name FROM 1 FOR 50) AS offer_version,
       count(*) AS transactions,
       sum(t.offer_price) AS total_revenue,
       avg(t.offer_price) AS avg_order_value,
       count(*) * 100.0 / sum(count(*)) OVER () AS percentage_of_sales
FROM platform_sale_offer_history psoh
JOIN transactions t ON t.id = psoh.transaction_id
{where(clauses)}
GROUP BY 1
ORDER BY total_revenue DESC, offer_version
"""
    return sql, s
