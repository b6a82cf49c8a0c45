"""Doc 002's 360° view of a transaction: buyer, products, offer, UTMs, payments and invoices, one row each."""

from resolvers.analytics.keys import TransactionKey, transaction_condition
from resolvers.analytics.payments import card_kept
from resolvers.analytics.statement import Statement, conditions


def transaction_360(transaction: TransactionKey) -> tuple[str, Statement]:
    s = Statement()
    sql = f"""
SELECT t.transaction_id, t.platform, t.order_date, c.name AS customer_name, c.email, p.name AS product_name,
       psoh.offer_name, psoh.description,
       puh.utm_source, puh.utm_medium, puh.utm_campaign,
       ptph.payment_method, ptph.payment_date, {card_kept("ptph", "card_brand")} AS card_brand,
       ptph.installments,
       psih.invoice_number, psih.issue_date, psih.pdf_url
FROM transactions t
JOIN customers c ON c.id = t.customer_id
JOIN transaction_items ti ON ti.transaction_id = t.id
JOIN products p ON p.id = ti.product_id
LEFT JOIN platform_sale_offer_history psoh ON psoh.transaction_id = t.id
LEFT JOIN platform_utm_history puh ON puh.transaction_id = t.id
LEFT JOIN platform_transaction_payment_history ptph ON ptph.transaction_id = t.id
LEFT JOIN platform_software_invoice_history psih ON psih.transaction_id = t.id
WHERE {conditions(transaction_condition(s, "t", transaction))}
ORDER BY t.id, p.id, psoh.id, puh.id, ptph.payment_date NULLS LAST, ptph.id, psih.id
"""
    return sql, s
