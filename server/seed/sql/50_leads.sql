-- Staging for leads: one per converting session (~5 % of sessions).  Decides who the lead
-- is, its score, how far its deal goes (outcome/depth) and the deal's offer and value; the
-- random columns r_* feed later parts.  55_ inserts the leads.

CREATE TEMP TABLE syn_lead AS
SELECT y.*,
       CASE WHEN y.total >= 75 THEN 'A' WHEN y.total >= 60 THEN 'B' WHEN y.total >= 45 THEN 'C' ELSE 'D' END
         AS lead_score
FROM (
  SELECT x.*, pg_temp.uid('lead:' || x.lno) AS lead_id,
         lower(translate(x.first_name || '.' || x.last_name, 'ÁÂÃÉÊÍÓÔÕÚÇáâãàéêíóôõúüç ', 'AAAEEIOOOUCaaaaeeiooouuc'))
           || x.lno || '@' || coalesce(x.company_domain, x.free_domain) AS email,
         '+55' || x.ddd || '9' || pg_temp.digits(8, x.r_ph) AS phone,
         round((x.demographic + x.behavioral + x.firmographic) / 3.0)::int AS total
  FROM (
    SELECT row_number() OVER (ORDER BY r.lead_at, r.sno) AS lno, r.*,
           pg_temp.pick(fname.a, r.r_fn) AS first_name, pg_temp.pick(lname.a, r.r_ln) AS last_name,
           CASE WHEN r.r_biz < 0.45 OR r.r_co < 0.25 THEN c.name END AS company,
           CASE WHEN r.r_biz < 0.45 THEN c.domain END AS company_domain,
           CASE WHEN r.r_biz < 0.45 THEN c.industry
                ELSE pg_temp.pick(ARRAY['Educação','Serviços','Varejo','Marketing','Saúde'], r.r_co) END AS industry,
           CASE WHEN r.r_biz < 0.45 THEN c.size ELSE '1-10' END AS company_size,
           CASE WHEN r.r_biz < 0.45 THEN c.revenue ELSE '$0-$1M' END AS revenue,
           pg_temp.pick(pg_temp.slots(ARRAY['gmail.com','hotmail.com','outlook.com','yahoo.com.br','uol.com.br'],
                                      ARRAY[55, 25, 10, 6, 4]), r.r_free) AS free_domain,
           r.r_biz < 0.45 AS is_business,
           pg_temp.pick(ARRAY['11','11','11','11','21','21','31','41','51','61','71','81','85','48','19','27'], r.r_ddd) AS ddd,
           30 + floor(r.r_dem * 70)::int AS demographic,
           least(100, 25 + 8 * r.nsess + floor(r.r_beh * 45))::int AS behavioral,
           CASE WHEN r.r_biz < 0.45 THEN 40 + floor(r.r_firm * 60) ELSE 10 + floor(r.r_firm * 50) END::int AS firmographic
    FROM (
      SELECT s.sno, s.session_id, s.v, s.dno, s.first_pno, s.channel_source, v.nsess, v.first_visit_at,
             s.started_at + make_interval(secs => pv.time_on_page - 1) AS lead_at,
             random() AS r_fn, random() AS r_ln, random() AS r_biz, random() AS r_co, random() AS r_free,
             random() AS r_ddd, random() AS r_ph, random() AS r_dem, random() AS r_beh, random() AS r_firm,
             random() AS r_q1, random() AS r_q2, random() AS r_q3, random() AS r_q4, random() AS r_tech,
             random() AS r_outcome, random() AS r_depth, random() AS r_deal, random() AS r_qty,
             random() AS r_dur, random() AS r_crm, random() AS r_buy, random() AS r_buyt, random() AS r_int,
             1 + floor(random() * 15)::int AS company_i
      FROM syn_session s
      JOIN syn_visitor v ON v.v = s.v
      JOIN syn_pv pv ON pv.sno = s.sno AND pv.view_order = 1
      WHERE s.converted
    ) r
    JOIN syn_company c ON c.i = r.company_i
    CROSS JOIN (SELECT array_agg(name ORDER BY i) AS a FROM syn_first_name) fname
    CROSS JOIN (SELECT array_agg(name ORDER BY i) AS a FROM syn_last_name) lname
  ) x
) y;

-- Pipeline: outcome (won / lost / open) and depth reached (1 new .. 4 negotiation).
-- Leads younger than 3 days are still 'new'.  The deal is a B2B or B2C offer.
CREATE TEMP TABLE syn_deal AS
SELECT l.lno,
       CASE WHEN l.lead_at > {{syn_now}}::timestamptz - interval '3 days' THEN 'open'
            WHEN l.r_outcome < CASE l.lead_score WHEN 'A' THEN 0.45 WHEN 'B' THEN 0.28 WHEN 'C' THEN 0.12 ELSE 0.04 END
              THEN 'won'
            WHEN l.r_outcome > CASE l.lead_score WHEN 'A' THEN 0.80 WHEN 'B' THEN 0.70 WHEN 'C' THEN 0.60 ELSE 0.50 END
              THEN 'lost'
            ELSE 'open' END AS outcome,
       o.ono AS deal_ono, o.pno AS deal_pno, o.price AS unit_price, q.qty,
       o.price * q.qty AS deal_value
FROM syn_lead l
CROSS JOIN LATERAL (
  SELECT (CASE WHEN l.is_business
               THEN pg_temp.pick(pg_temp.slots(ARRAY['7','8','10','14'], ARRAY[3, 1, 4, 2]), l.r_deal)
               ELSE pg_temp.pick(pg_temp.slots(ARRAY['1','2','4','5','11','15'], ARRAY[4, 2, 2, 2, 2, 2]), l.r_deal)
          END)::int AS ono
) d
JOIN syn_offer o ON o.ono = d.ono
CROSS JOIN LATERAL (
  SELECT CASE o.offer_id WHEN 'OFFER602' THEN 1 + floor(l.r_qty * 10)::int
                         WHEN 'OFFER401' THEN 1 + floor(l.r_qty * 3)::int
                         WHEN 'OFFER1001' THEN 1 + floor(l.r_qty * 4)::int
                         ELSE 1 END AS qty
) q;
CREATE UNIQUE INDEX ON syn_deal (lno);

ALTER TABLE syn_deal ADD COLUMN depth int;
UPDATE syn_deal d
SET depth = CASE
      WHEN l.lead_at > {{syn_now}}::timestamptz - interval '3 days' THEN 1
      WHEN d.outcome = 'won' THEN CASE WHEN l.r_depth < 0.6 THEN 4 ELSE 3 END
      WHEN d.outcome = 'lost' THEN 1 + floor(l.r_depth * 4)::int
      ELSE 1 + floor(power(l.r_depth, 1.6) * 4)::int END
FROM syn_lead l
WHERE l.lno = d.lno;
