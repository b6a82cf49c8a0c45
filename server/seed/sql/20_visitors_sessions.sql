-- Staging (temp tables) for visitors, their sessions and page views; 25_ and 40_ insert them.
-- ~470 visitors per unit of scale with 1-8 sessions each (mean ~2.1) -> ~1,000 sessions.

CREATE TEMP TABLE syn_visitor AS
SELECT x.v, x.dno, d.domain_name, x.nsess,
       -- a returning visitor's sessions spread over `span` (1-46 days), ending before now
       {{syn_now}}::timestamptz - interval '2 hours' - x.span - (interval '119 days' - x.span) * x.r_t AS first_visit_at,
       x.span,
       x.device, x.ip, x.ua,
       x.r_conv < CASE WHEN x.nsess = 1 THEN 0.045 WHEN x.nsess <= 3 THEN 0.13 ELSE 0.32 END AS converts
FROM (
  SELECT v, dno, r_t, r_conv, device,
         CASE WHEN r_n < 0.60 THEN interval '0' ELSE interval '1 day' * (1 + 45 * r_span) END AS span,
         CASE WHEN r_n < 0.60 THEN 1 WHEN r_n < 0.85 THEN 2 + floor(r_n2 * 2)::int
              ELSE 4 + floor(r_n2 * 5)::int END AS nsess,
         -- v times an odd constant mod 2^24 is a bijection: every address is unique
         pg_temp.pick(ARRAY['177','179','187','189','191','200','201'], r_ip)
           || '.' || ((mix >> 16) & 255) || '.' || ((mix >> 8) & 255) || '.' || (mix & 255) AS ip,
         CASE device
           WHEN 'desktop' THEN pg_temp.pick(ARRAY[
             'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36',
             'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
             'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0',
             'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36'], r_ua)
           WHEN 'mobile' THEN pg_temp.pick(ARRAY[
             'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
             'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Mobile Safari/537.36',
             'Mozilla/5.0 (Linux; Android 13; moto g84 5G) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Mobile Safari/537.36'], r_ua)
           ELSE pg_temp.pick(ARRAY[
             'Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
             'Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36'], r_ua)
         END AS ua
  FROM (
    SELECT v, (v::bigint * 2654435761) % 16777216 AS mix,
           1 + floor(greatest(2, round(3 * {{scale}})) * power(random(), 1.3))::int AS dno,
           random() AS r_n, random() AS r_n2, random() AS r_t, random() AS r_ip, random() AS r_ua, random() AS r_span,
           random() AS r_conv,
           pg_temp.pick(pg_temp.slots(ARRAY['desktop','mobile','tablet'], ARRAY[45,48,7]), random()) AS device
    FROM generate_series(1, greatest(20, round(470 * {{scale}}))::int) v
  ) r
) x
JOIN syn_domain d USING (dno);

-- Sessions: the last session of a converting visitor converts (one lead per visitor).
-- Random draws happen in the innermost subquery (volatile target lists are never
-- flattened), so a value referenced twice is drawn once.
CREATE TEMP TABLE syn_session AS
SELECT y.*, 'sess_' || substr(md5('session:' || y.sno), 1, 20) AS session_id
FROM (
  SELECT row_number() OVER (ORDER BY q.v, q.i) AS sno, q.v, q.i AS idx, q.dno,
         CASE WHEN q.i = 1 THEN q.first_visit_at
              ELSE q.first_visit_at + q.span * ((q.i - 1 + q.r_st * 0.8) / (q.nsess - 0.2)) END AS started_at,
         split_part(q.ch, '/', 1) AS channel_source, nullif(split_part(q.ch, '/', 2), '') AS channel_medium,
         CASE WHEN q.conv THEN greatest(q.npv, 2) ELSE q.npv END AS npv,
         (CASE WHEN q.conv THEN pg_temp.pick(ps.conv_slots, q.r_pg)
               ELSE pg_temp.pick(ps.first_slots, q.r_pg) END)::int AS first_pno,
         q.conv AS converted
  FROM (
    SELECT v.v, i, v.dno, v.nsess, v.first_visit_at, v.span, v.converts AND i = v.nsess AS conv,
           random() AS r_st, random() AS r_pg,
           pg_temp.pick(pg_temp.slots(
             ARRAY['direct','google/cpc','facebook/paid','facebook/social','tiktok/paid','linkedin/social','newsletter/email'],
             ARRAY[25, 30, 15, 5, 8, 7, 10]), random()) AS ch,
           CASE WHEN random() < 0.35 THEN 1 ELSE 2 + floor(power(random(), 1.5) * 7)::int END AS npv
    FROM syn_visitor v CROSS JOIN LATERAL generate_series(1, v.nsess) i
  ) q
  CROSS JOIN syn_page_slots ps
) y;
CREATE UNIQUE INDEX ON syn_session (sno);

-- Page views: view 1 is the session's first page; a converting session's view 2 is /obrigado.
CREATE TEMP TABLE syn_pv AS
SELECT z.*, z.started_at + make_interval(secs => coalesce(sum(z.time_on_page) OVER (
         PARTITION BY z.sno ORDER BY z.view_order ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))
         AS viewed_at
FROM (
  SELECT s.sno, s.dno, s.started_at, s.converted, o AS view_order, o = s.npv AS exit_page,
         CASE WHEN o = 1 THEN s.first_pno
              WHEN o = 2 AND s.converted THEN 10
              ELSE pg_temp.pick(ps.nav_slots, random())::int END AS pno,
         CASE WHEN o = 1 AND s.converted THEN 60 + floor(random() * 300)::int
              ELSE 5 + floor(power(random(), 2) * 295)::int END AS time_on_page
  FROM syn_session s
  CROSS JOIN syn_page_slots ps
  CROSS JOIN LATERAL generate_series(1, s.npv) o
) z;
