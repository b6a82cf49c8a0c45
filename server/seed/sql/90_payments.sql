-- platform_transaction_payment_history: every attempt.  Declined card attempts (0-2, or 1-3 for
-- refused orders; pix/boleto buyers may have tried a card first) precede the final row
-- (approved / pending / canceled / expired); refunds and chargebacks add a later row.
-- Cards keep brand + 4 last digits only; a retry after a decline often uses another card.

INSERT INTO platform_transaction_payment_history (transaction_id, payment_method, payment_type, installments,
    value, payment_date, card_brand, card_last_digits, bank_slip_barcode, pix_code, metadata, created_at, updated_at)
SELECT a.id, a.method::payment_method_enum, a.ptype::payment_type_enum, a.installments, a.value, a.at,
       CASE WHEN a.is_card THEN CASE WHEN a.kind = 'declined' THEN a.brand_a ELSE a.brand_b END END,
       CASE WHEN a.is_card THEN CASE WHEN a.kind = 'declined' THEN a.last_a ELSE a.last_b END END,
       CASE WHEN a.method = 'boleto' THEN '34191' || pg_temp.digits(14, a.r1) || pg_temp.digits(14, a.r2)
                                          || pg_temp.digits(14, a.r3) END,
       CASE WHEN a.method = 'pix' THEN '00020126580014br.gov.bcb.pix0136' || pg_temp.uid('pix:' || a.id)::text
            || '52040000530398654' || lpad(length(a.value::numeric(15,2)::text)::text, 2, '0') || a.value::numeric(15,2)
            || '5802BR5907HOTMART6009SAO PAULO62070503***6304' || upper(substr(md5('crc:' || a.id), 1, 4)) END,
       jsonb_strip_nulls(jsonb_build_object(
         'gateway_status', CASE a.kind WHEN 'declined' THEN 'declined' ELSE a.kind END,
         'gateway_specific_code', CASE WHEN a.kind = 'declined' THEN a.code END,
         'decline_code', CASE WHEN a.kind = 'declined' AND a.code = 'card_declined' THEN a.decline END,
         'status_detail', CASE a.kind
              WHEN 'declined' THEN CASE a.code WHEN 'processing_error' THEN 'issuer_unavailable'
                                               WHEN 'expired_card' THEN 'cc_rejected_expired'
                                               WHEN 'incorrect_cvc' THEN 'cc_rejected_bad_cvc'
                                               ELSE 'cc_rejected_other_reason' END
              WHEN 'approved' THEN 'accredited' WHEN 'pending' THEN 'pending_waiting_payment'
              WHEN 'canceled' THEN 'by_collector' WHEN 'expired' THEN 'expired'
              WHEN 'refunded' THEN 'refunded' ELSE 'chargeback' END,
         'risk_level', CASE WHEN a.kind IN ('declined', 'approved') THEN CASE WHEN a.r1 < 0.9 THEN 'normal' ELSE 'elevated' END END,
         'gateway_request_id', 'req_' || substr(md5('req:' || a.id || ':' || a.k), 1, 14),
         'processor_response', CASE WHEN a.is_card AND a.kind IN ('declined', 'approved') THEN jsonb_build_object(
              'avs_result_code', 'Z', 'cvv_result_code', CASE WHEN a.code = 'incorrect_cvc' AND a.kind = 'declined' THEN 'N' ELSE 'M' END) END,
         'refund_reason', CASE WHEN a.kind = 'refunded' THEN 'customer_request' END,
         'dispute_reason', CASE WHEN a.kind = 'charged_back' THEN pg_temp.pick(ARRAY['fraudulent','product_not_received'], a.r2) END,
         'attempted_at', to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))),
       a.at, a.at
FROM (
  SELECT b.*, k,
         CASE WHEN k <= b.n_fail THEN 'declined'
              WHEN k = b.n_fail + 1 THEN CASE b.status WHEN 1 THEN 'approved' WHEN 5 THEN 'approved' WHEN 6 THEN 'approved'
                                                     WHEN 2 THEN 'pending' WHEN 4 THEN 'canceled' ELSE 'expired' END
              ELSE CASE b.status WHEN 5 THEN 'refunded' ELSE 'charged_back' END END AS kind,
         CASE WHEN k <= b.n_fail AND b.tx_method NOT IN ('credit_card', 'debit_card', 'google_pay', 'apple_pay')
              THEN 'credit_card' ELSE b.tx_method END AS method,
         (k <= b.n_fail OR b.tx_method IN ('credit_card', 'debit_card', 'google_pay', 'apple_pay')) AS is_card,
         least({{syn_now}}::timestamptz, CASE
           WHEN k <= b.n_fail THEN b.order_date - interval '3 minutes' * (b.n_fail - k + 1)
           WHEN k = b.n_fail + 1 THEN b.order_date + CASE WHEN b.tx_method = 'boleto' AND b.status IN (1, 5, 6)
                                                          THEN interval '26 hours' ELSE interval '0' END
           ELSE b.order_date + CASE b.status WHEN 5 THEN interval '9 days' ELSE interval '32 days' END END) AS at
  FROM (
    SELECT t.id, t.status, t.method AS tx_method, t.order_date, t.r_pay AS r1, t.r_fail AS r2, t.r_inst AS r3,
           CASE WHEN t.status = 3 THEN 1 + floor(t.r_fail * 3)::int
                WHEN t.status NOT IN (1, 5, 6) THEN 0
                WHEN t.method IN ('credit_card', 'debit_card', 'google_pay', 'apple_pay')
                  THEN CASE WHEN t.r_fail < 0.72 THEN 0 WHEN t.r_fail < 0.92 THEN 1 ELSE 2 END
                ELSE (t.r_fail > 0.85)::int END AS n_fail,
           CASE WHEN t.is_subscription THEN CASE WHEN t.offer_seq > 1 THEN 'recurring' ELSE 'subscription' END
                WHEN t.method = 'credit_card' AND (t.r_inst >= 0.45 OR t.unit_price > 1000) THEN 'installments'
                ELSE 'single' END AS ptype,
           CASE WHEN t.method <> 'credit_card' OR t.is_subscription THEN 1
                WHEN t.r_inst < 0.45 AND t.unit_price <= 1000 THEN 1
                ELSE 2 + floor(t.r_pay * 11)::int END AS installments,
           t.offer_price + coalesce(bo.price, 0) AS value,
           pg_temp.pick(pg_temp.slots(ARRAY['visa','mastercard','elo','amex','hipercard'], ARRAY[40, 35, 12, 6, 7]), t.r_src) AS brand_a,
           -- the paying card: the declined one retried (40 %) or another card
           CASE WHEN t.r_coupon < 0.4 THEN pg_temp.pick(pg_temp.slots(ARRAY['visa','mastercard','elo','amex','hipercard'], ARRAY[40, 35, 12, 6, 7]), t.r_src)
                ELSE pg_temp.pick(pg_temp.slots(ARRAY['visa','mastercard','elo','amex','hipercard'], ARRAY[40, 35, 12, 6, 7]), t.r_bump) END AS brand_b,
           pg_temp.digits(4, t.r_src2) AS last_a,
           CASE WHEN t.r_coupon < 0.4 THEN pg_temp.digits(4, t.r_src2)
                ELSE pg_temp.digits(4, t.r_bump * 7919 - floor(t.r_bump * 7919)) END AS last_b,
           pg_temp.pick(pg_temp.slots(ARRAY['card_declined','processing_error','expired_card','incorrect_cvc'], ARRAY[70, 15, 8, 7]), t.r_status) AS code,
           pg_temp.pick(pg_temp.slots(ARRAY['insufficient_funds','do_not_honor','generic_decline','fraudulent','lost_card'],
                                      ARRAY[40, 25, 20, 8, 7]), t.r_method) AS decline
    FROM syn_tx t
    LEFT JOIN syn_offer bo ON bo.ono = t.bump_ono
  ) b
  CROSS JOIN LATERAL generate_series(1, b.n_fail + CASE WHEN b.status = 3 THEN 0 ELSE 1 END
                                          + CASE WHEN b.status IN (5, 6) THEN 1 ELSE 0 END) k
) a
ORDER BY a.at, a.id, a.k;
