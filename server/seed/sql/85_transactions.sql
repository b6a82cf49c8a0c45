-- Staging for checkout transactions (syn_tx) and the transactions / transaction_items rows.
-- Lead purchases carry the lead's utm row; independent orders draw an offer available on the
-- order date and, for 65 %, a campaign running then (live or historical).

CREATE TEMP TABLE syn_tx_base AS
SELECT c.cno, c.id AS customer_id, 'lead' AS src, p.lno AS n, p.order_date, p.ono, p.qty, p.from_deal,
       u.utm_source, u.utm_medium, u.utm_campaign, u.utm_term, u.utm_content, u.created_at AS capture_date
FROM syn_lead_purchase p
JOIN syn_customer c ON c.lno = p.lno
JOIN syn_lead l ON l.lno = p.lno
LEFT JOIN utm_tracking u ON u.tracking_id = pg_temp.uid('utm:' || l.sno);

INSERT INTO syn_tx_base
SELECT o.cno, o.customer_id, 'independent', o.cno * 10 + o.k, o.order_date, f.ono, 1, false,
       m.source, m.medium, m.campaign, pg_temp.pick(m.terms, o.r_term), pg_temp.pick(m.contents, o.r_content),
       o.order_date - interval '1 hour' * (1 + 47 * o.r_cap)
FROM (
  SELECT c.cno, c.id AS customer_id, k,
         CASE WHEN k = 1 THEN c.first_order
              ELSE c.first_order + ({{syn_now}}::timestamptz - interval '1 hour' - c.first_order)
                   * ((k - 1 + random() * 0.9) / c.norders) END AS order_date,
         random() < 0.65 AS has_utm, random() AS r_term, random() AS r_content, random() AS r_cap
  FROM syn_customer c
  CROSS JOIN LATERAL generate_series(1, c.norders) k
  WHERE c.src = 'independent'
) o
CROSS JOIN LATERAL (
  SELECT f.ono FROM syn_offer f
  WHERE f.weight > 0 AND o.order_date::date BETWEEN f.avail_from AND coalesce(f.avail_to, 'infinity')
  ORDER BY -ln(1 - random()) / f.weight LIMIT 1
) f
LEFT JOIN LATERAL (
  SELECT m.* FROM syn_camp m
  WHERE o.has_utm AND o.order_date::date BETWEEN m.starts AND m.ends
  ORDER BY -ln(1 - random()) / m.weight LIMIT 1
) m ON true;

-- Transaction ids 123456 and 987654 are reserved for the documents' examples (98_showcase.sql).
CREATE TEMP TABLE syn_tx AS
SELECT z.*,
       CASE WHEN z.platform = 'hotmart' THEN 'HP' || (16000000000000 + z.id::bigint * 7919)
            ELSE pg_temp.uid('kiwify:' || z.id)::text END AS transaction_id,
       CASE WHEN z.method IN ('credit_card', 'debit_card', 'paypal', 'google_pay', 'apple_pay', 'account_balance')
                 AND z.status_id IN (2, 7) THEN 3
            WHEN z.method IN ('boleto', 'pix', 'bank_transfer') AND z.status_id IN (2, 7)
              THEN CASE WHEN z.order_date > {{syn_now}}::timestamptz - interval '3 days' THEN 2 ELSE 7 END
            ELSE z.status_id END AS status
FROM (
  SELECT y.*, y.g + (y.g >= 123456)::int + (y.g >= 987653)::int AS id, p.platform,
         round(o.price * y.qty * CASE WHEN y.r_coupon < 0.1 AND NOT y.from_deal THEN 0.9 ELSE 1 END, 2) AS offer_price,
         o.price AS unit_price, o.pno, o.kind, o.is_subscription,
         CASE WHEN y.from_deal THEN 1
              ELSE (pg_temp.pick(pg_temp.slots(ARRAY['1','5','6','3','4','2'], ARRAY[80, 5, 1, 6, 3, 5]), y.r_status))::int
         END AS status_id,
         CASE WHEN y.from_deal AND o.price * y.qty > 5000
                THEN pg_temp.pick(ARRAY['boleto','bank_transfer','pix','credit_card'], y.r_method)
              ELSE pg_temp.pick(pg_temp.slots(
                ARRAY['credit_card','pix','boleto','debit_card','paypal','google_pay','apple_pay','account_balance'],
                ARRAY[116, 50, 18, 4, 4, 3, 3, 2]), y.r_method) END AS method,
         CASE WHEN y.r_src < 0.35 THEN pg_temp.pick(ARRAY['afiliado_joao_silva','afiliado_marina_costa',
                'parceiro_influencer_tech','src_instagram_bio','src_youtube_descricao','email_lista_vip'], y.r_src2) END
           AS tracking_source,
         CASE WHEN o.kind <> 'bump' AND y.r_bump < 0.2 THEN pg_temp.pick(ARRAY[12, 13, 16], y.r_src2) END AS bump_ono,
         row_number() OVER (PARTITION BY y.customer_id, y.ono ORDER BY y.order_date) AS offer_seq
  FROM (
    SELECT row_number() OVER (ORDER BY b.order_date, b.src, b.n) AS g, b.*,
           random() AS r_coupon, random() AS r_status, random() AS r_method, random() AS r_src,
           random() AS r_src2, random() AS r_bump, random() AS r_inst, random() AS r_fail, random() AS r_pay
    FROM syn_tx_base b
  ) y
  JOIN syn_offer o ON o.ono = y.ono
  JOIN syn_product p ON p.pno = o.pno
) z;
CREATE UNIQUE INDEX ON syn_tx (id);

INSERT INTO transactions (id, transaction_id, platform, customer_id, status_id, offer_price, currency,
                          order_date, tracking_source, created_at, updated_at)
SELECT id, transaction_id, platform, customer_id, status, offer_price, 'BRL', order_date, tracking_source,
       order_date, least({{syn_now}}::timestamptz,
                         order_date + CASE WHEN status IN (5, 6) THEN interval '12 days' ELSE interval '5 minutes' END)
FROM syn_tx ORDER BY id;

INSERT INTO transaction_items (transaction_id, product_id, quantity, unit_price, created_at, updated_at)
SELECT t.id, x.pno, x.qty, x.unit_price, t.order_date, t.order_date
FROM syn_tx t
CROSS JOIN LATERAL (
  SELECT 1 AS k, t.pno, t.qty, round(t.offer_price / t.qty, 4) AS unit_price
  UNION ALL
  SELECT 2, b.pno, 1, b.price FROM syn_offer b WHERE b.ono = t.bump_ono
) x
ORDER BY t.id, x.k;
