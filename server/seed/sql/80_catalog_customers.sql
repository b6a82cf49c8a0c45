-- products and offers (from 05_catalog) and customers: won leads and leads that bought at the
-- checkout become customers with the lead's e-mail (leads join to purchases by e-mail or
-- hashed e-mail); ~200 independent customers per unit of scale bought since 2023.

INSERT INTO products (id, name, description, platform, external_id, created_at, updated_at)
SELECT pno, name, description, platform, external_id, timestamptz '2022-12-01 12:00-03', timestamptz '2022-12-01 12:00-03'
FROM syn_product ORDER BY pno;
SELECT setval(pg_get_serial_sequence('products', 'id'), (SELECT max(id) FROM products));

INSERT INTO offers (id, product_id, offer_id, code, name, description, price, currency, is_active,
                    created_at, updated_at)
SELECT ono, pno, offer_id, code, name, description, price, 'BRL', is_active,
       (avail_from - 1)::timestamptz + interval '15 hours',
       coalesce(changed_at, CASE WHEN NOT is_active THEN avail_to + 1 END, avail_from - 1)::timestamptz + interval '15 hours'
FROM syn_offer ORDER BY ono;
SELECT setval(pg_get_serial_sequence('offers', 'id'), (SELECT max(id) FROM offers));

-- What each lead buys at the checkout: the won deal, or (a quarter of the others) a cheap
-- offer a few days after becoming a lead.
CREATE TEMP TABLE syn_lead_purchase AS
SELECT l.lno, d.outcome = 'won' AS from_deal,
       CASE WHEN d.outcome = 'won' THEN d.deal_ono
            ELSE pg_temp.pick(ARRAY[6, 6, 11, 1], l.r_q2) END AS ono,
       CASE WHEN d.outcome = 'won' THEN d.qty ELSE 1 END AS qty,
       CASE WHEN d.outcome = 'won' THEN d.last_at + interval '10 minutes'
            ELSE l.lead_at + least(interval '10 days', ({{syn_now}}::timestamptz - l.lead_at) * 0.8) * l.r_buyt END
         AS order_date
FROM syn_lead l
JOIN syn_deal d ON d.lno = l.lno
WHERE d.outcome = 'won' OR l.r_buy < 0.25;

-- Customers: kind 'lead' (lno set) or 'independent'; cno orders them by first purchase.
CREATE TEMP TABLE syn_customer AS
SELECT row_number() OVER (ORDER BY c.first_order, c.src, c.n) AS cno, c.*
FROM (
  SELECT 'lead' AS src, l.lno AS n, l.lno, l.first_name || ' ' || l.last_name AS name, l.email, l.phone,
         CASE WHEN p.from_deal AND l.is_business THEN pg_temp.cnpj(pg_temp.digits(8, l.r_ph) || '0001')
              ELSE pg_temp.cpf(pg_temp.digits(9, l.r_dem)) END AS document,
         p.order_date AS first_order, 1 AS norders
  FROM syn_lead_purchase p JOIN syn_lead l ON l.lno = p.lno
  UNION ALL
  SELECT 'independent', r.n, NULL, r.first_name || ' ' || r.last_name,
         lower(translate(r.first_name || '_' || r.last_name, 'ÁÂÃÉÊÍÓÔÕÚÇáâãàéêíóôõúüç ', 'AAAEEIOOOUCaaaaeeiooouuc'))
           || r.n || '@' || CASE WHEN r.r_biz < 0.15 THEN r.company_domain ELSE r.free_domain END,
         CASE WHEN r.r_ph < 0.85 THEN '+55' || r.ddd || '9' || pg_temp.digits(8, r.r_ph) END,
         pg_temp.cpf(pg_temp.digits(9, r.r_doc)),
         -- first purchase between 2023-01-01 and now
         timestamptz '2023-01-01 08:00-03' + ({{syn_now}}::timestamptz - interval '1 hour' - timestamptz '2023-01-01 08:00-03') * r.r_first,
         CASE WHEN r.r_k < 0.65 THEN 1 WHEN r.r_k < 0.85 THEN 2 ELSE 3 + floor(r.r_k2 * 3)::int END
  FROM (
    SELECT n, pg_temp.pick(fname.a, random()) AS first_name, pg_temp.pick(lname.a, random()) AS last_name,
           random() AS r_biz, random() AS r_ph, random() AS r_doc, random() AS r_first, random() AS r_k, random() AS r_k2,
           pg_temp.pick(co.a, random()) AS company_domain,
           pg_temp.pick(pg_temp.slots(ARRAY['gmail.com','hotmail.com','outlook.com','yahoo.com.br','uol.com.br','icloud.com'],
                                      ARRAY[50, 22, 12, 7, 5, 4]), random()) AS free_domain,
           pg_temp.pick(ARRAY['11','11','11','21','21','31','41','51','61','71','81','85','48'], random()) AS ddd
    FROM generate_series(1, greatest(20, round(200 * {{scale}}))::int) n
    CROSS JOIN (SELECT array_agg(name ORDER BY i) AS a FROM syn_first_name) fname
    CROSS JOIN (SELECT array_agg(name ORDER BY i) AS a FROM syn_last_name) lname
    CROSS JOIN (SELECT array_agg(domain ORDER BY i) AS a FROM syn_company) co
  ) r
) c;
-- id 12345 is reserved for the documents' example customer (98_showcase.sql).
ALTER TABLE syn_customer ADD COLUMN id int;
UPDATE syn_customer SET id = cno + (cno >= 12345)::int;
CREATE UNIQUE INDEX ON syn_customer (cno);

INSERT INTO customers (id, name, email, phone, document, created_at, updated_at)
SELECT id, name, email, phone, document, first_order - interval '3 minutes', first_order - interval '3 minutes'
FROM syn_customer ORDER BY id;
