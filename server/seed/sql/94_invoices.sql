-- platform_software_invoice_history: NF-e for paid orders, issued 0-2 days after the order
-- (5 % more than 30 days late, 4 % of approved orders never invoiced); refunds cancel the
-- invoice, a few approved orders have a cancelled or denied one (what doc 002's audit finds).
-- Access key: cUF + AAMM + CNPJ + mod 55 + series + number + tpEmis + cNF + mod-11 check digit.

INSERT INTO platform_software_invoice_history (transaction_id, invoice_number, invoice_series, invoice_key,
                                               issue_date, status, xml_url, pdf_url, created_at, updated_at)
SELECT k.id, k.nnf::text, '1', k.key, k.issue_date, k.status,
       'https://nfe.exemplo.com.br/xml/' || k.key || '.xml', 'https://nfe.exemplo.com.br/danfe/' || k.key || '.pdf',
       k.issue_date,
       CASE WHEN k.status = 'Cancelada' THEN least({{syn_now}}::timestamptz, k.issue_date + interval '10 days')
            ELSE k.issue_date END
FROM (SELECT x.*, x.key43 || pg_temp.nfe_dv(x.key43) AS key FROM (
  SELECT n.*,
         '35' || to_char(n.issue_date AT TIME ZONE 'America/Sao_Paulo', 'YYMM')
           || CASE n.platform WHEN 'hotmart' THEN pg_temp.cnpj('123456780001') ELSE pg_temp.cnpj('987654320001') END
           || '55' || '001' || lpad(n.nnf::text, 9, '0') || '1' || pg_temp.digits(8, n.r_cnf) AS key43
  FROM (
    SELECT i.*, row_number() OVER (ORDER BY i.issue_date, i.id) AS nnf
    FROM (
      SELECT t.id, t.platform, t.r_pay AS r_cnf,
             t.order_date + CASE WHEN t.r_inst < 0.05 THEN interval '31 days' + interval '29 days' * t.r_coupon
                                 ELSE interval '2 days' * t.r_coupon END AS issue_date,
             CASE WHEN t.status = 5 THEN 'Cancelada'
                  WHEN t.status = 6 THEN CASE WHEN t.r_src < 0.5 THEN 'Cancelada' ELSE 'Emitida' END
                  WHEN t.r_bump < 0.015 THEN 'Cancelada'
                  WHEN t.r_bump < 0.025 THEN 'Denegada'
                  ELSE 'Emitida' END AS status
      FROM syn_tx t
      WHERE t.status IN (1, 5, 6) AND NOT (t.status = 1 AND t.id % 25 = 7)   -- 4 % never invoiced
    ) i
    WHERE i.issue_date <= {{syn_now}}::timestamptz
  ) n
) x) k
ORDER BY k.nnf;
