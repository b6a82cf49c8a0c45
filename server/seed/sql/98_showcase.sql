-- The literal ids doc 002's examples look up, at every scale: customer 12345
-- (cliente@exemplo.com), transactions TX987654 (id 987654, early 2023, offer OFFER123 while it
-- still read "12 aulas", two declines before approval) and TX123456 (id 123456, recent, with an
-- order bump and an affiliate).  The generators skip these ids.

INSERT INTO customers (id, name, email, phone, document, created_at, updated_at)
VALUES (12345, 'Cliente Exemplo', 'cliente@exemplo.com', '+5511987654321', pg_temp.cpf('529982247'),
        timestamptz '2023-02-10 14:20-03', timestamptz '2023-02-10 14:20-03');

CREATE TEMP TABLE syn_showcase AS
SELECT * FROM (VALUES
  (987654, 'TX987654', timestamptz '2023-02-10 14:32-03', 1, 197.00, NULL::text, NULL::int,
   'facebook', 'paid', 'summer_launch_2023', NULL::text, 'video_testimonial'),
  (123456, 'TX123456', date_trunc('minute', {{syn_now}}::timestamptz - interval '45 days'), 4, 997.00,
   'afiliado_marina_costa', 12, 'google', 'cpc', 'always_on_search', 'curso online', 'rsa_beneficios')
) v(id, transaction_id, order_date, ono, price, tracking_source, bump_ono, utm_source, utm_medium,
    utm_campaign, utm_term, utm_content);

INSERT INTO transactions (id, transaction_id, platform, customer_id, status_id, offer_price, currency, order_date,
                          tracking_source, created_at, updated_at)
SELECT id, transaction_id, 'hotmart', 12345, 1, price, 'BRL', order_date, tracking_source, order_date,
       order_date + interval '5 minutes'
FROM syn_showcase;

INSERT INTO transaction_items (transaction_id, product_id, quantity, unit_price, created_at, updated_at)
SELECT s.id, o.pno, 1, o.price, s.order_date, s.order_date
FROM syn_showcase s JOIN syn_offer o ON o.ono IN (s.ono, s.bump_ono)
ORDER BY s.id, o.ono;

-- Attempts: TX987654 declined twice on one card, approved on another; TX123456 one decline.
INSERT INTO platform_transaction_payment_history (transaction_id, payment_method, payment_type, installments, value,
    payment_date, card_brand, card_last_digits, metadata, created_at, updated_at)
SELECT s.id, 'credit_card', p.ptype::payment_type_enum, p.inst, p.value, s.order_date - p.before, p.brand, p.last4,
       jsonb_strip_nulls(jsonb_build_object(
         'gateway_status', p.gw, 'gateway_specific_code', p.code, 'decline_code', p.decline,
         'status_detail', p.detail, 'risk_level', 'normal', 'gateway_request_id', 'req_' || substr(md5(s.id || p.before::text), 1, 14),
         'attempted_at', to_char((s.order_date - p.before) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))),
       s.order_date - p.before, s.order_date - p.before
FROM syn_showcase s
JOIN (VALUES
  (987654, interval '7 minutes', 'installments', 3, 197.00, 'visa', '4242', 'declined', 'card_declined', 'insufficient_funds', 'cc_rejected_insufficient_amount'),
  (987654, interval '4 minutes', 'installments', 3, 197.00, 'visa', '4242', 'declined', 'processing_error', NULL, 'issuer_unavailable'),
  (987654, interval '0 minutes', 'installments', 3, 197.00, 'mastercard', '5454', 'approved', NULL, NULL, 'accredited'),
  (123456, interval '3 minutes', 'installments', 12, 1034.00, 'elo', '6363', 'declined', 'card_declined', 'do_not_honor', 'cc_rejected_other_reason'),
  (123456, interval '0 minutes', 'installments', 12, 1034.00, 'visa', '1881', 'approved', NULL, NULL, 'accredited')
) p(id, before, ptype, inst, value, brand, last4, gw, code, decline, detail) ON p.id = s.id
ORDER BY s.id, p.before DESC;

INSERT INTO platform_utm_history (transaction_id, utm_source, utm_medium, utm_campaign, utm_term, utm_content,
                                  capture_date, created_at, updated_at)
SELECT id, utm_source, utm_medium, utm_campaign, utm_term, utm_content, order_date - interval '20 minutes',
       order_date, order_date
FROM syn_showcase;

INSERT INTO platform_sale_offer_history (transaction_id, code, offer_id, offer_name, description, created_at, updated_at)
SELECT s.id, o.code, o.offer_id,
       CASE WHEN s.order_date < o.changed_at THEN o.old_name ELSE o.name END,
       CASE WHEN s.order_date < o.changed_at THEN o.old_description ELSE o.description END,
       s.order_date, s.order_date
FROM syn_showcase s JOIN syn_offer o ON o.ono = s.ono;

INSERT INTO platform_commission (transaction_id, source, amount, currency, recipient_name, created_at, updated_at)
SELECT s.id, c.source, c.amount, 'BRL', c.recipient, s.order_date + interval '1 minute', s.order_date + interval '1 minute'
FROM syn_showcase s
JOIN (VALUES
  (987654, 'MARKETPLACE', 20.50, 'Hotmart'), (987654, 'PRODUCER', 176.50, 'Escola Digital Produções Ltda'),
  (123456, 'MARKETPLACE', 103.37, 'Hotmart'), (123456, 'AFFILIATE', 372.25, 'Marina Costa'),
  (123456, 'PRODUCER', 558.38, 'Escola Digital Produções Ltda')
) c(id, source, amount, recipient) ON c.id = s.id;

-- Invoices numbered after the generated ones (series 2 keeps numbers unique).
INSERT INTO platform_software_invoice_history (transaction_id, invoice_number, invoice_series, invoice_key,
                                               issue_date, status, xml_url, pdf_url, created_at, updated_at)
SELECT k.id, k.nnf::text, '2', k.key, k.issue_date, 'Emitida',
       'https://nfe.exemplo.com.br/xml/' || k.key || '.xml', 'https://nfe.exemplo.com.br/danfe/' || k.key || '.pdf',
       k.issue_date, k.issue_date
FROM (
  SELECT x.*, x.key43 || pg_temp.nfe_dv(x.key43) AS key
  FROM (
    SELECT s.id, s.order_date + interval '1 day' AS issue_date, n.nnf,
           '35' || to_char((s.order_date + interval '1 day') AT TIME ZONE 'America/Sao_Paulo', 'YYMM')
             || pg_temp.cnpj('123456780001') || '55' || '002' || lpad(n.nnf::text, 9, '0') || '1'
             || CASE s.id WHEN 987654 THEN '98765432' ELSE '12345678' END AS key43
    FROM syn_showcase s
    CROSS JOIN LATERAL (SELECT CASE s.id WHEN 987654 THEN 1 ELSE 2 END AS nnf) n
  ) x
) k;

-- Later inserts through the API must not collide with the explicit ids used above.
SELECT setval(pg_get_serial_sequence('customers', 'id'), (SELECT max(id) FROM customers)),
       setval(pg_get_serial_sequence('transactions', 'id'), (SELECT max(id) FROM transactions));
