"""Doc 000, query 3: new, returning and frequent visitors, by their number of sessions."""

from resolvers.analytics.scope import Scope
from resolvers.analytics.statement import Statement, where


def visitor_types(scope: Scope) -> tuple[str, Statement]:
    s = Statement()
    # A visitor belongs to the period when its journey overlaps it.
    clauses = [
        *s.equal("vj.domain_id", scope.domain_id),
        *s.since("vj.last_visit_at", scope.period),
        *s.until("vj.first_visit_at", scope.period),
    ]
    sql = f"""
SELECT CASE WHEN vj.total_sessions = 1 THEN 'NEW'
            WHEN vj.total_sessions BETWEEN 2 AND 3 THEN 'RETURNING'
            ELSE 'FREQUENT' END AS visitor_type,
       -- COLLATE "C": the same distinct ids (the collation is deterministic), sorted bytewise, twice as fast.
       count(DISTINCT vj.visitor_id COLLATE "C") AS total_visitors,
       avg(vj.total_page_views) AS avg_page_views,
       sum(CASE WHEN vj.converted THEN 1 ELSE 0 END) AS total_conversions,
       round(100.0 * sum(CASE WHEN vj.converted THEN 1 ELSE 0 END) / count(*), 2) AS conversion_rate
FROM visitor_journeys vj
{where(clauses)}
GROUP BY 1
ORDER BY total_visitors DESC, visitor_type
"""
    return sql, s
