-- lead_stages: 'new' at the lead's creation, then qualified / proposal / negotiation up to the
-- depth reached, then 'won' or 'lost' when the deal closed.  Stages are evenly spread between
-- the lead's creation and last_at (its latest stage), so they are chronological.

ALTER TABLE syn_deal ADD COLUMN lead_at timestamptz, ADD COLUMN last_at timestamptz, ADD COLUMN nstages int;
UPDATE syn_deal d
SET lead_at = l.lead_at,
    last_at = CASE WHEN d.depth = 1 AND d.outcome = 'open' THEN l.lead_at
                   ELSE l.lead_at + ({{syn_now}}::timestamptz - l.lead_at) * (0.2 + 0.7 * l.r_dur) END,
    nstages = d.depth + CASE WHEN d.outcome = 'open' THEN 0 ELSE 1 END
FROM syn_lead l
WHERE l.lno = d.lno;

INSERT INTO lead_stages (stage_id, lead_id, domain_id, stage_name, stage_value, probability, changed_by, reason,
                         created_at, updated_at)
SELECT pg_temp.uid('stage:' || s.lno || ':' || s.k), s.lead_id, s.domain_id, s.stage_name,
       CASE WHEN s.stage_name = 'new' THEN NULL ELSE s.deal_value END,
       CASE s.stage_name WHEN 'new' THEN 10 WHEN 'qualified' THEN 30 WHEN 'proposal' THEN 50
                         WHEN 'negotiation' THEN 70 WHEN 'won' THEN 100 ELSE 0 END,
       CASE WHEN s.stage_name = 'new' THEN 'system' ELSE s.rep || '@' || s.domain_name END,
       CASE s.stage_name
         WHEN 'new' THEN NULL
         WHEN 'qualified' THEN 'Lead demonstrou interesse e tem orçamento aprovado'
         WHEN 'proposal' THEN 'Proposta comercial enviada'
         WHEN 'negotiation' THEN 'Negociando condições de pagamento'
         WHEN 'won' THEN 'Contrato assinado'
         ELSE pg_temp.pick(ARRAY['Sem orçamento no momento','Escolheu um concorrente',
                                 'Sem resposta após 3 contatos','Timing inadequado'], s.r_reason) END,
       s.at, s.at
FROM (
  SELECT d.lno, l.lead_id, dm.domain_id, k, d.deal_value, dm.domain_name, l.r_int AS r_reason,
         CASE WHEN k > d.depth THEN d.outcome
              ELSE (ARRAY['new','qualified','proposal','negotiation'])[k] END AS stage_name,
         pg_temp.pick(ARRAY['ana.souza','bruno.lima','carla.mendes','diego.rocha'], l.r_q1) AS rep,
         CASE WHEN d.nstages = 1 THEN d.lead_at
              ELSE d.lead_at + (d.last_at - d.lead_at) * ((k - 1)::float8 / (d.nstages - 1)) END AS at
  FROM syn_deal d
  JOIN syn_lead l ON l.lno = d.lno
  JOIN syn_domain dm ON dm.dno = l.dno
  CROSS JOIN LATERAL generate_series(1, d.nstages) k
) s
ORDER BY s.at, s.lno, s.k;
