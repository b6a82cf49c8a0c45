-- marketing_costs: one row per source/medium/campaign/day while a campaign runs (up to today),
-- spend proportional to scale, lower on weekends.

INSERT INTO marketing_costs (cost_date, source, medium, campaign, cost, currency, created_at, updated_at)
SELECT x.day, x.source, x.medium, x.campaign,
       round((x.daily_cost * greatest({{scale}}, 0.01) * (0.6 + 0.8 * x.r)
              * CASE WHEN extract(isodow FROM x.day) IN (6, 7) THEN 0.7 ELSE 1 END)::numeric, 2),
       'BRL', least({{syn_now}}::timestamptz, x.day + interval '1 day 6 hours'),
       least({{syn_now}}::timestamptz, x.day + interval '1 day 6 hours')
FROM (
  SELECT c.source, c.medium, c.campaign, c.daily_cost, day::date AS day, random() AS r
  FROM syn_camp c
  CROSS JOIN LATERAL generate_series(c.starts, least(c.ends, {{syn_now}}::date), interval '1 day') day
) x
ORDER BY x.day, x.source, x.medium, x.campaign
ON CONFLICT (source, medium, campaign, cost_date) DO NOTHING;
