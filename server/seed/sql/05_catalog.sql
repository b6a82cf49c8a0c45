-- Catalog the later parts draw from (temp tables only): campaigns, products, offers.

-- Campaign windows.  Names are fixed (tests can rely on them); windows of the live
-- campaigns follow the reference time, historical ones sit on the calendar so the
-- documents' 2023 examples find rows.  A name may have several windows/channels.
CREATE TEMP TABLE syn_camp AS
SELECT row_number() OVER () AS cno, v.campaign, v.source, v.medium,
       COALESCE(v.starts, {{syn_now}}::date - 130) AS starts,
       COALESCE(v.ends, {{syn_now}}::date) AS ends,
       v.live, v.weight, v.daily_cost, v.terms, v.contents
FROM (VALUES
  -- live: sessions (utm_tracking) of the last 120 days draw from these
  ('always_on_search',       'google',     'cpc',    date '2023-01-01', NULL::date, true, 5, 320.0,
   ARRAY['curso online','marketing digital','crm para pequenas empresas','como vender mais','consultoria de vendas'],
   ARRAY['rsa_beneficios','ad_texto_a','ad_texto_b']),
  ('brand_search',           'google',     'cpc',    date '2023-01-01', NULL, true, 2, 60.0,
   ARRAY['nome da marca','marca curso'], ARRAY['ad_marca']),
  ('black_friday_2024',      'google',     'cpc',    {{syn_now}}::date - 30, NULL, true, 4, 450.0,
   ARRAY['black friday curso','desconto curso online'], ARRAY['bf_desconto_50','bf_contagem_regressiva']),
  ('remarketing_30d',        'facebook',   'paid',   date '2023-01-01', NULL, true, 3, 180.0,
   NULL::text[], ARRAY['carrossel_depoimentos','video_testimonial','imagem_oferta']),
  ('lookalike_compradores',  'facebook',   'paid',   NULL, NULL, true, 3, 220.0,
   NULL, ARRAY['video_testimonial','button_green','button_blue']),
  ('black_friday_2024',      'facebook',   'paid',   {{syn_now}}::date - 30, NULL, true, 4, 380.0,
   NULL, ARRAY['bf_video','bf_carrossel']),
  ('conteudo_organico',      'facebook',   'social', date '2023-01-01', NULL, true, 1, 15.0,
   NULL, ARRAY['post_feed','reels','stories']),
  ('tiktok_ugc_videos',      'tiktok',     'paid',   NULL, NULL, true, 2, 150.0,
   NULL, ARRAY['ugc_depoimento','ugc_tutorial']),
  ('linkedin_decisores_b2b', 'linkedin',   'social', NULL, NULL, true, 2, 260.0,
   NULL, ARRAY['carrossel_cases','documento_pdf']),
  ('newsletter_semanal',     'newsletter', 'email',  date '2023-01-01', NULL, true, 3, 10.0,
   NULL, ARRAY['header_banner','link_texto','cta_botao']),
  -- historical launches: only checkout transactions (platform_utm_history) use these
  ('summer_launch_2023',     'google',     'cpc',    date '2023-01-05', date '2023-03-31', false, 6, 400.0,
   ARRAY['curso marketing digital','curso basico marketing'], ARRAY['button_green','button_blue']),
  ('summer_launch_2023',     'facebook',   'paid',   date '2023-01-05', date '2023-03-31', false, 6, 350.0,
   NULL, ARRAY['video_testimonial','carrossel_depoimentos','button_green']),
  ('black_friday_2023',      'google',     'cpc',    date '2023-11-13', date '2023-11-30', false, 8, 900.0,
   ARRAY['black friday curso'], ARRAY['bf_desconto_50']),
  ('black_friday_2023',      'facebook',   'paid',   date '2023-11-13', date '2023-11-30', false, 8, 800.0,
   NULL, ARRAY['bf_video','bf_carrossel']),
  ('launch_course_v2',       'facebook',   'paid',   date '2024-03-01', date '2024-04-15', false, 5, 420.0,
   NULL, ARRAY['video_aula_gratis','depoimento_aluno']),
  ('launch_course_v2',       'newsletter', 'email',  date '2024-03-01', date '2024-04-15', false, 3, 20.0,
   NULL, ARRAY['cta_botao']),
  ('black_friday_2024',      'google',     'cpc',    date '2024-11-11', date '2024-11-30', false, 8, 950.0,
   ARRAY['black friday curso','desconto curso online'], ARRAY['bf_desconto_50']),
  ('black_friday_2024',      'facebook',   'paid',   date '2024-11-11', date '2024-11-30', false, 8, 850.0,
   NULL, ARRAY['bf_video','bf_carrossel']),
  ('black_friday_2025',      'tiktok',     'paid',   date '2025-11-10', date '2025-11-30', false, 6, 500.0,
   NULL, ARRAY['ugc_depoimento']),
  ('black_friday_2025',      'facebook',   'paid',   date '2025-11-10', date '2025-11-30', false, 8, 900.0,
   NULL, ARRAY['bf_video'])
) v(campaign, source, medium, starts, ends, live, weight, daily_cost, terms, contents);

-- Products (fixed catalog).  kind: b2c / b2b / bump.
CREATE TEMP TABLE syn_product AS
SELECT row_number() OVER () AS pno, v.* FROM (VALUES
  ('Curso Básico de Marketing Digital', 'Fundamentos de marketing digital em aulas gravadas', 'hotmart', '1048573'),
  ('Curso Avançado de Tráfego Pago',    'Google Ads, Meta Ads e TikTok Ads na prática',      'hotmart', '1048590'),
  ('E-book Guia Completo de Vendas',    'E-book em PDF com 120 páginas',                     'kiwify',  '7f3a91c2-58d1-4e0b-9a31-2c4f6b8d0e11'),
  ('Mentoria Empresarial em Grupo',     'Encontros quinzenais com especialistas',            'hotmart', '2210457'),
  ('Consultoria Estratégica B2B',       'Diagnóstico e plano comercial para empresas',       'kiwify',  'c19e02a7-3b64-4f2d-8e15-7a9b0c1d2e33'),
  ('CRM Pro',                           'Software de CRM para pequenas e médias empresas',   'kiwify',  '5d7b44e9-0c2a-4a8f-b6d3-1e2f3a4b5c66'),
  ('Workshop Funil de Vendas',          'Workshop online de 4 horas com gravação',           'hotmart', '3310982'),
  ('Planilha de Fluxo de Caixa',        'Planilha para controle financeiro',                 'kiwify',  '0a8c13f4-6e7d-4c9b-a2f1-3d4e5f6a7b88'),
  ('Comunidade VIP',                    'Comunidade fechada com lives mensais',              'hotmart', '4471120'),
  ('Imersão Presencial Vendas B2B',     'Imersão de dois dias em São Paulo',                 'hotmart', '5582231'),
  ('Inglês para Negócios',              'Curso de inglês focado em reuniões e negociação',   'hotmart', '6693342'),
  ('Templates de E-mail Marketing',     '50 templates prontos para campanhas',               'kiwify',  '9b2e77d0-1f3c-4e5a-8b7c-6d5e4f3a2b99')
) v(name, description, platform, external_id);

-- Offers.  weight: share of independent checkout sales (0 = never sold alone);
-- old_name/old_description: what snapshots taken before changed_at show.
CREATE TEMP TABLE syn_offer AS
SELECT row_number() OVER () AS ono, v.* FROM (VALUES
  (1,  'OFFER123',  'BASICCOURSE', 'Curso Básico - 15 aulas', 'Curso completo com 15 aulas gravadas e certificado',
   197.00, true,  date '2023-01-01', NULL::date, 14, 'b2c', false,
   'Curso Básico - 12 aulas', 'Curso completo com 12 aulas gravadas e certificado', date '2023-03-01'),
  (1,  'OFFER124',  'BASICCOURSE', 'Curso Básico - 15 aulas + Bônus Planilhas', '15 aulas gravadas e pacote de planilhas bônus',
   247.00, true,  date '2023-06-01', NULL, 6, 'b2c', false, NULL, NULL, NULL),
  (1,  'OFFER125',  'BASICCOURSE', 'Curso Básico - Black Friday 2023', '15 aulas com 50% de desconto',
   97.00,  false, date '2023-11-13', date '2023-11-30', 30, 'b2c', false, NULL, NULL, NULL),
  (2,  'OFFER201',  'ADVTRAFFIC',  'Tráfego Pago Avançado - À vista', 'Módulos de Google Ads, Meta Ads e TikTok Ads',
   997.00, true,  date '2023-01-01', NULL, 5, 'b2c', false,
   'Tráfego Pago Avançado - À vista', 'Módulos de Google Ads e Meta Ads', date '2024-06-01'),
  (2,  'OFFER202',  'ADVTRAFFIC',  'Tráfego Pago Avançado - 12x', 'Mesmo curso, parcelado em até 12x',
   1097.00, true, date '2023-01-01', NULL, 4, 'b2c', false, NULL, NULL, NULL),
  (3,  'OFFER301',  'EBOOKVENDAS', 'E-book Guia Completo de Vendas', 'E-book em PDF, acesso imediato',
   47.00,  true,  date '2023-01-01', NULL, 10, 'b2c', false, NULL, NULL, NULL),
  (4,  'OFFER401',  'MENTORIA',    'Mentoria Empresarial - Turma Anual', 'Doze meses de mentoria em grupo',
   2997.00, true, date '2023-01-01', NULL, 2, 'b2b', false,
   'Mentoria Empresarial - Turma 2023', 'Doze meses de mentoria em grupo', date '2024-01-01'),
  (5,  'OFFER501',  'CONSULTB2B',  'Consultoria Estratégica - Pacote Trimestral', 'Três meses de consultoria dedicada',
   15000.00, true, date '2023-01-01', NULL, 1, 'b2b', false, NULL, NULL, NULL),
  (6,  'OFFER601',  'CRMPRO',      'CRM Pro - Plano Mensal', 'Até 5 usuários, cobrança mensal',
   197.00, true,  date '2023-01-01', NULL, 6, 'b2b', true,
   'CRM Pro - Plano Mensal (preço de lançamento)', 'Até 3 usuários, cobrança mensal', date '2025-01-01'),
  (6,  'OFFER602',  'CRMPRO',      'CRM Pro - Plano Anual', 'Até 5 usuários, cobrança anual',
   1970.00, true, date '2023-01-01', NULL, 3, 'b2b', true, NULL, NULL, NULL),
  (7,  'OFFER701',  'WORKSHOP',    'Workshop Funil de Vendas', 'Ao vivo com gravação disponível por 1 ano',
   297.00, true,  date '2023-01-01', NULL, 6, 'b2c', false, NULL, NULL, NULL),
  (8,  'OFFER801',  'PLANILHA',    'Planilha de Fluxo de Caixa', 'Order bump',
   37.00,  true,  date '2023-01-01', NULL, 0, 'bump', false, NULL, NULL, NULL),
  (9,  'OFFER901',  'VIP',         'Comunidade VIP - Mensal', 'Acesso à comunidade e lives mensais',
   47.00,  true,  date '2023-01-01', NULL, 2, 'bump', true, NULL, NULL, NULL),
  (10, 'OFFER1001', 'IMERSAO',     'Imersão Presencial Vendas B2B', 'Ingresso individual, dois dias',
   4997.00, true, date '2023-01-01', NULL, 1, 'b2b', false, NULL, NULL, NULL),
  (11, 'OFFER1101', 'INGLESNEG',   'Inglês para Negócios - Acesso 1 ano', 'Aulas gravadas e conversação em grupo',
   997.00, true,  date '2023-01-01', NULL, 4, 'b2c', false, NULL, NULL, NULL),
  (12, 'OFFER1201', 'TEMPLATES',   'Templates de E-mail Marketing', 'Order bump',
   27.00,  true,  date '2023-01-01', NULL, 0, 'bump', false, NULL, NULL, NULL)
) v(pno, offer_id, code, name, description, price, is_active, avail_from, avail_to, weight, kind,
    is_subscription, old_name, old_description, changed_at);
