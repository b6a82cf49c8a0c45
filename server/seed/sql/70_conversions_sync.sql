-- offline_conversions for won leads (click ids copied from the lead's utm row), their
-- platform_sync_log attempts, and integrations_log (CRM, e-mail, webhook, analytics) per lead.

-- Per conversion and ad platform: applicable when the lead's utm row has that platform's
-- click id; the final status drives both sync_status (jsonb) and the attempts logged.
CREATE TEMP TABLE syn_conv_platform AS
SELECT x.*,
       CASE WHEN x.click_id IS NULL THEN 'not_applicable'
            WHEN x.conversion_date > {{syn_now}}::timestamptz - interval '1 day' OR x.r < 0.08 THEN 'pending'
            WHEN x.r < 0.18 THEN 'failed' ELSE 'success' END AS status
FROM (
  SELECT l.lno, l.dno, d.deal_value, d.last_at AS conversion_date, pl.platform, pl.click_key,
         CASE pl.platform WHEN 'google_ads' THEN u.gclid WHEN 'meta' THEN u.fbclid
                          WHEN 'linkedin' THEN u.li_fat_id ELSE u.ttclid END AS click_id,
         CASE WHEN l.is_business THEN 'contract_signed' ELSE 'purchase' END AS conversion_name,
         random() AS r, random() AS r2
  FROM syn_lead l
  JOIN syn_deal d ON d.lno = l.lno AND d.outcome = 'won'
  LEFT JOIN utm_tracking u ON u.tracking_id = pg_temp.uid('utm:' || l.sno)
  CROSS JOIN (VALUES ('google_ads', 'gclid'), ('meta', 'fbclid'), ('linkedin', 'li_fat_id'), ('tiktok', 'ttclid'))
    pl(platform, click_key)
) x;

INSERT INTO offline_conversions (conversion_id, lead_id, domain_id, original_tracking_id, gclid, fbclid,
                                 conversion_value, conversion_currency, conversion_date, conversion_name,
                                 sync_status, created_at, updated_at)
SELECT pg_temp.uid('conv:' || l.lno), l.lead_id, pg_temp.uid('domain:' || l.dno), u.tracking_id, u.gclid, u.fbclid,
       min(c.deal_value), 'BRL', min(c.conversion_date), min(c.conversion_name),
       jsonb_object_agg(c.platform, c.status),
       min(c.conversion_date) + interval '5 minutes',
       min(c.conversion_date) + interval '5 minutes'
         + CASE WHEN bool_or(c.status IN ('success', 'failed')) THEN interval '3 hours' ELSE interval '0' END
FROM syn_conv_platform c
JOIN syn_lead l ON l.lno = c.lno
LEFT JOIN utm_tracking u ON u.tracking_id = pg_temp.uid('utm:' || l.sno)
GROUP BY l.lno, l.dno, l.lead_id, u.tracking_id, u.gclid, u.fbclid
ORDER BY min(c.conversion_date);

-- Attempts: success after 0 or 1 failure, failed = 3 failures, pending = 1 queued request.
INSERT INTO platform_sync_log (sync_id, conversion_id, domain_id, platform, sync_status, request_payload,
                               response_data, http_status_code, created_at, updated_at)
SELECT pg_temp.uid('sync:' || a.lno || ':' || a.platform || ':' || a.n), pg_temp.uid('conv:' || a.lno),
       pg_temp.uid('domain:' || a.dno),
       a.platform, a.st,
       jsonb_build_object(a.click_key, a.click_id, 'conversion_name', a.conversion_name,
                          'conversion_value', a.deal_value, 'conversion_currency', 'BRL',
                          'conversion_time', to_char(a.conversion_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
       CASE a.st WHEN 'success' THEN jsonb_build_object('result', 'SUCCESS', 'uploadId', substr(md5('up:' || a.lno || a.platform), 1, 12))
                 WHEN 'failed' THEN jsonb_build_object('result', 'ERROR', 'error', jsonb_build_object(
                     'code', CASE a.http WHEN 400 THEN 'INVALID_CLICK_ID' WHEN 429 THEN 'RATE_LIMIT_EXCEEDED' ELSE 'INTERNAL_ERROR' END,
                     'message', CASE a.http WHEN 400 THEN 'Click id not found or expired' WHEN 429 THEN 'Too many requests'
                                            ELSE 'Upstream service unavailable' END)) END,
       a.http, a.at, a.at
FROM (
  SELECT c.*, n,
         CASE WHEN c.status = 'pending' THEN 'pending'
              WHEN c.status = 'success' AND n = k.attempts THEN 'success' ELSE 'failed' END AS st,
         CASE WHEN c.status = 'pending' THEN NULL
              WHEN c.status = 'success' AND n = k.attempts THEN 200
              ELSE (ARRAY[400, 429, 500, 503])[1 + (n + c.lno) % 4] END AS http,
         c.conversion_date + interval '10 minutes' + interval '1 hour' * (n - 1) AS at
  FROM syn_conv_platform c
  CROSS JOIN LATERAL (SELECT CASE c.status WHEN 'failed' THEN 3 WHEN 'success' THEN 1 + (c.r2 < 0.2)::int
                                           WHEN 'pending' THEN 1 ELSE 0 END AS attempts) k
  CROSS JOIN LATERAL generate_series(1, k.attempts) n
) a
ORDER BY a.at;
