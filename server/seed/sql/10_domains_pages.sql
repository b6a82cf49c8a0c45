-- Domains (3 per unit of scale, so per-domain volumes stay constant as scale grows)
-- and 11 landing pages per domain, two of them A/B tests with variants A (control) and B.

CREATE TEMP TABLE syn_domain AS
SELECT d AS dno,
       pg_temp.uid('domain:' || d) AS domain_id,
       pg_temp.pick(ARRAY['cursosdigitais','academiafinanceira','meusite','lojavirtualpro','consultoriapro',
                          'saasgestao','mentoriaexpert','escoladeingles','fitnessonline','marketingtotal',
                          'imobiliariaprime','clinicavida','educatech','vendasmais','agenciacriativa'],
                    ((d - 1) % 15) / 15.0)
         || CASE WHEN d > 15 THEN '-' || ((d - 1) / 15 + 1) ELSE '' END
         || CASE WHEN d % 4 = 0 THEN '.com' ELSE '.com.br' END AS domain_name,
       pg_temp.pick(ARRAY['hubspot','salesforce','pipedrive','rdstation'], random()) AS crm,
       timestamptz '2023-06-01'
         + ({{syn_now}}::timestamptz - interval '150 days' - timestamptz '2023-06-01')
           * (d::float8 / greatest(2, round(3 * {{scale}}))) AS created_at
FROM generate_series(1, greatest(2, round(3 * {{scale}}))::int) d;

INSERT INTO domains (domain_id, domain_name, domain_url, metadata, created_at, updated_at)
SELECT domain_id, domain_name, 'https://' || domain_name,
       jsonb_build_object(
         'analytics', jsonb_build_object(
             'googleAnalyticsId', 'G-' || upper(substr(md5('ga' || dno), 1, 10)),
             'facebookPixelId', pg_temp.digits(15, random())),
         'settings', jsonb_build_object('timezone', 'America/Sao_Paulo', 'language', 'pt-BR', 'currency', 'BRL')),
       created_at, created_at + interval '2 days'
FROM syn_domain;

-- Page template: first_w = weight as a session's first page, nav_w = weight as a later
-- page, conv_w = weight as the form page of a converting session.
CREATE TEMP TABLE syn_page_tpl (pno, url, name, variant, is_control, ab, is_active, first_w, nav_w, conv_w) AS
VALUES
  (1,  '/',                          'Home',                               NULL, false, NULL,  true,  18, 20, 0),
  (2,  '/produto/oferta-especial',   'Oferta Especial - Controle',         'A',  true,  'ab1', true,  14, 0,  24),
  (3,  '/produto/oferta-especial',   'Oferta Especial - Variante B',       'B',  false, 'ab1', true,  14, 0,  28),
  (4,  '/webinar/gratuito',          'Webinar Gratuito - Controle',        'A',  true,  'ab2', true,  10, 0,  14),
  (5,  '/webinar/gratuito',          'Webinar Gratuito - Variante B',      'B',  false, 'ab2', true,  10, 0,  12),
  (6,  '/ebook/guia-completo',       'E-book Guia Completo',               NULL, false, NULL,  true,  10, 10, 12),
  (7,  '/blog/como-aumentar-vendas', 'Blog - Como aumentar vendas',        NULL, false, NULL,  true,  12, 20, 0),
  (8,  '/precos',                    'Preços',                             NULL, false, NULL,  true,  6,  25, 0),
  (9,  '/contato',                   'Fale com Vendas',                    NULL, false, NULL,  true,  6,  10, 10),
  (10, '/obrigado',                  'Obrigado',                           NULL, false, NULL,  true,  0,  0,  0),
  (11, '/promocao-de-lancamento',    'Promoção de Lançamento (encerrada)', NULL, false, NULL,  false, 0,  0,  0);

-- Weighted page-number arrays for pick().
CREATE TEMP TABLE syn_page_slots AS
SELECT pg_temp.slots(array_agg(pno::text ORDER BY pno), array_agg(first_w ORDER BY pno)) AS first_slots,
       pg_temp.slots(array_agg(pno::text ORDER BY pno), array_agg(nav_w ORDER BY pno))   AS nav_slots,
       pg_temp.slots(array_agg(pno::text ORDER BY pno), array_agg(conv_w ORDER BY pno))  AS conv_slots
FROM syn_page_tpl;

CREATE TEMP TABLE syn_page AS
SELECT d.dno, t.pno, pg_temp.uid('page:' || d.dno || ':' || t.pno) AS page_id, d.domain_id,
       t.url, t.name, t.variant, t.is_control, t.is_active,
       CASE WHEN t.ab IS NOT NULL THEN pg_temp.uid('abtest:' || d.dno || ':' || t.ab) END AS ab_test_id,
       CASE WHEN t.ab IS NOT NULL THEN {{syn_now}}::timestamptz - interval '125 days'
            ELSE d.created_at + interval '1 day' END AS created_at
FROM syn_domain d CROSS JOIN syn_page_tpl t;
CREATE UNIQUE INDEX ON syn_page (dno, pno);

INSERT INTO landing_pages (page_id, domain_id, page_url, page_name, page_variant, is_control,
                           ab_test_id, is_active, created_at, updated_at)
SELECT page_id, domain_id, url, name, variant, is_control, ab_test_id, is_active, created_at,
       CASE WHEN is_active THEN created_at ELSE {{syn_now}}::timestamptz - interval '140 days' END
FROM syn_page
ORDER BY dno, pno;
