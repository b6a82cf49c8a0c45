-- Transaction settings and small helpers shared by every part.  The runner executes all parts
-- in one transaction and fills the double-brace placeholders: scale (a number) and syn_now (a
-- quoted UTC timestamp, the reference instant every part measures time from).  Nothing here outlives the session:
-- SET LOCAL ends with the transaction, staging tables and pg_temp helpers with the connection.

DISCARD TEMP;   -- re-runnable on a reused session: drops staging tables and helpers of a previous run
SET LOCAL client_min_messages = warning;
SET LOCAL work_mem = '64MB';
SET LOCAL synchronous_commit = off;
SET LOCAL jit = off;
-- A large scale runs for minutes; a role's statement_timeout must not abort it halfway.
SET LOCAL statement_timeout = 0;
-- syn_now is UTC: ::date of it and of stored timestamps must agree whatever the server's zone.
SET LOCAL TimeZone = 'UTC';
-- One process evaluates random() in a fixed order, so setseed() makes runs repeatable.
SET LOCAL max_parallel_workers_per_gather = 0;

-- r in [0,1) -> one element of a; repeat elements in a to weight them.
CREATE FUNCTION pg_temp.pick(a anyarray, r float8) RETURNS anyelement
LANGUAGE sql IMMUTABLE AS 'SELECT a[1 + floor(r * cardinality(a))::int]';

-- items repeated weight times: pick(slots(ARRAY[x,y], ARRAY[9,1]), random()) is x 90 %.
CREATE FUNCTION pg_temp.slots(items text[], weights int[]) RETURNS text[]
LANGUAGE sql IMMUTABLE AS
'SELECT array_agg(i ORDER BY o, n) FROM unnest(items, weights) WITH ORDINALITY u(i, w, o), generate_series(1, w) n';

-- sha256 hex of a string, the form leads.hashed_email / hashed_phone use.
CREATE FUNCTION pg_temp.sha256_hex(t text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$SELECT encode(sha256(convert_to(t, 'UTF8')), 'hex')$$;

-- Deterministic uuid from a label, so ids do not depend on gen_random_uuid().
CREATE FUNCTION pg_temp.uid(t text) RETURNS uuid
LANGUAGE sql IMMUTABLE AS 'SELECT md5(t)::uuid';

-- n random decimal digits (n <= 15 per call).
CREATE FUNCTION pg_temp.digits(n int, r float8) RETURNS text
LANGUAGE sql IMMUTABLE AS $$SELECT lpad(floor(r * 10 ^ n)::bigint::text, n, '0')$$;

-- NF-e access key check digit: mod 11 over 43 digits, weights 2..9 cycling from the right.
CREATE FUNCTION pg_temp.nfe_dv(k43 text) RETURNS int
LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN 11 - s % 11 >= 10 THEN 0 ELSE 11 - s % 11 END
FROM (SELECT sum(substr(k43, i, 1)::int * (2 + (43 - i) % 8)) AS s
      FROM generate_series(1, 43) i) x
$$;

-- Brazilian first and last names used by leads and customers.
CREATE TEMP TABLE syn_first_name AS
SELECT n AS i, name FROM unnest(ARRAY[
  'João','Maria','José','Ana','Pedro','Juliana','Lucas','Fernanda','Gabriel','Camila',
  'Rafael','Beatriz','Matheus','Larissa','Gustavo','Amanda','Felipe','Patrícia','Bruno','Aline',
  'Rodrigo','Mariana','Thiago','Letícia','Carlos','Vanessa','Eduardo','Renata','Diego','Carolina',
  'André','Bianca','Marcelo','Tatiane','Leonardo','Priscila','Vinícius','Gabriela','Daniel','Luana'])
  WITH ORDINALITY u(name, n);

CREATE TEMP TABLE syn_last_name AS
SELECT n AS i, name FROM unnest(ARRAY[
  'Silva','Santos','Oliveira','Souza','Rodrigues','Ferreira','Alves','Pereira','Lima','Gomes',
  'Costa','Ribeiro','Martins','Carvalho','Almeida','Lopes','Soares','Fernandes','Vieira','Barbosa',
  'Rocha','Dias','Nascimento','Andrade','Moreira','Nunes','Marques','Machado','Mendes','Freitas'])
  WITH ORDINALITY u(name, n);

-- Companies for business e-mails (domain) and lead enrichment.
CREATE TEMP TABLE syn_company AS
SELECT row_number() OVER () AS i, v.* FROM (VALUES
  ('Empresa XYZ Ltda',          'empresaxyz.com.br',    'Tecnologia',  '50-200',   '$1M-$10M'),
  ('Acme Soluções',             'acmesolucoes.com.br',  'Tecnologia',  '200-1000', '$10M-$50M'),
  ('Construtora Horizonte',     'horizonte.eng.br',     'Construção',  '200-1000', '$10M-$50M'),
  ('Varejo Bom Preço',          'bompreco.com.br',      'Varejo',      '1000+',    '$50M+'),
  ('Clínica Vida Saudável',     'vidasaudavel.med.br',  'Saúde',       '11-50',    '$1M-$10M'),
  ('Contabilidade Exata',       'contabilexata.com.br', 'Finanças',    '11-50',    '$0-$1M'),
  ('Escola Futuro',             'escolafuturo.edu.br',  'Educação',    '50-200',   '$1M-$10M'),
  ('Agência Criativa Digital',  'agenciacriativa.com',  'Marketing',   '1-10',     '$0-$1M'),
  ('Logística Rápida S.A.',     'lograpida.com.br',     'Logística',   '1000+',    '$50M+'),
  ('Banco Central de Crédito',  'bccredito.com.br',     'Finanças',    '1000+',    '$50M+'),
  ('Software House Orion',      'orionsoft.io',         'Tecnologia',  '11-50',    '$1M-$10M'),
  ('Indústria Metalúrgica Sul', 'metalsul.ind.br',      'Indústria',   '200-1000', '$10M-$50M'),
  ('Imobiliária Prime',         'imobprime.com.br',     'Imobiliário', '11-50',    '$1M-$10M'),
  ('Restaurantes Sabor & Cia',  'saborecia.com.br',     'Alimentação', '50-200',   '$1M-$10M'),
  ('Consultoria Alfa',          'alfaconsult.com.br',   'Serviços',    '1-10',     '$0-$1M')
) v(name, domain, industry, size, revenue);

-- Brazilian tax ids with valid check digits (mod 11), from 9 (CPF) or 12 (CNPJ) base digits.
CREATE FUNCTION pg_temp.mod11_dv(digits text, weights int[]) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN s % 11 < 2 THEN '0' ELSE (11 - s % 11)::text END
FROM (SELECT sum(substr(digits, i, 1)::int * weights[i]) AS s FROM generate_series(1, length(digits)) i) x
$$;
CREATE FUNCTION pg_temp.cpf(base9 text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
SELECT d1 || pg_temp.mod11_dv(d1, ARRAY[11,10,9,8,7,6,5,4,3,2])
FROM (SELECT base9 || pg_temp.mod11_dv(base9, ARRAY[10,9,8,7,6,5,4,3,2]) AS d1) x
$$;
CREATE FUNCTION pg_temp.cnpj(base12 text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
SELECT d1 || pg_temp.mod11_dv(d1, ARRAY[6,5,4,3,2,9,8,7,6,5,4,3,2])
FROM (SELECT base12 || pg_temp.mod11_dv(base12, ARRAY[5,4,3,2,9,8,7,6,5,4,3,2]) AS d1) x
$$;
