"""The reports' materialized views (migrations 0012-0023): what each holds, how one is read.

A report reads a view once `rastro refresh-analytics` (or `rastro seed`) has refreshed it, and its
definition over the tables otherwise (never refreshed, or `live: true`). Both choices are in the one
statement: PostgreSQL skips the branch that a one-time filter rules out.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from resolvers.analytics.credits import DEFAULT_HALF_LIFE_DAYS, DEFAULT_LOOKBACK_DAYS, MODELS, credited
from resolvers.analytics.period import DEFAULT_TIME_ZONE, Period
from resolvers.analytics.statement import Statement, conditions


@dataclass(frozen=True)
class View:
    """A materialized view: its name, its definition (also its live equivalent), and the unique key it is
    refreshed CONCURRENTLY by."""

    name: str
    definition: str
    key: str
    # Columns (a btree each) by which periods shorter than the data find their rows.
    indexed: tuple[str, ...] = ()
    # Storage parameters (WITH (...)).
    storage: str = ""

    def create(self) -> str:
        """The SQL its migration runs."""
        storage = f" WITH ({self.storage})" if self.storage else ""
        return (
            f"CREATE MATERIALIZED VIEW {self.name}{storage} AS {self.definition};\n"
            f"CREATE UNIQUE INDEX {self.name}_key ON {self.name} {self.key};\n{self.indexes()}"
        )

    def indexes(self) -> str:
        return "".join(
            f"CREATE INDEX IF NOT EXISTS {self.name}_{column} ON {self.name} ({column});\n"
            for column in self.indexed
        )


# Every view keeps, per member, the instants of its facts: `first_at`, `last_at` and `instants`.
VARIANT_VISITORS = View(
    "analytics_variant_visitors",
    """
SELECT pv.page_id, s.domain_id, s.visitor_id,
       min(pv.created_at) AS first_at, max(pv.created_at) AS last_at,
       array_agg(DISTINCT pv.created_at ORDER BY pv.created_at) AS instants
FROM page_views pv
JOIN landing_pages lp ON lp.page_id = pv.page_id AND lp.ab_test_id IS NOT NULL
JOIN sessions s ON s.session_id = pv.session_id
GROUP BY pv.page_id, s.domain_id, s.visitor_id""",
    "(page_id, domain_id, visitor_id)",
)


def _funnel_sessions(name: str, keys: str, indexed: tuple[str, ...] = ()) -> View:
    """Per active page name and variant (and domain, when `keys` has it): each session that viewed it, and
    the instants of its views of a page whose form it started (`form_first_at`...)."""
    return View(
        name,
        f"""
SELECT {keys},
       min(f.created_at) AS first_at, max(f.created_at) AS last_at,
       array_agg(DISTINCT f.created_at ORDER BY f.created_at) AS instants,
       min(f.created_at) FILTER (WHERE f.form_started) AS form_first_at,
       max(f.created_at) FILTER (WHERE f.form_started) AS form_last_at,
       array_agg(DISTINCT f.created_at ORDER BY f.created_at) FILTER (WHERE f.form_started) AS form_instants
FROM (
  SELECT lp.domain_id, lp.page_name, lp.page_variant, pv.session_id, pv.created_at,
         fs.page_id IS NOT NULL AS form_started
  FROM page_views pv
  JOIN landing_pages lp ON lp.page_id = pv.page_id AND lp.is_active
  LEFT JOIN (SELECT DISTINCT e.page_id, e.session_id FROM events e WHERE e.event_type = 'form_start') fs
    ON fs.page_id = pv.page_id AND fs.session_id = pv.session_id
) f
GROUP BY {keys}""",
        f"({keys.replace('f.', '')}) NULLS NOT DISTINCT",
        indexed,
    )


# All domains (a session counted once however many domains' pages it viewed), and per domain.
# The latest periods are the usual ones: their sessions are found by `last_at`.
FUNNEL_SESSIONS = _funnel_sessions(
    "analytics_funnel_sessions", "f.page_name, f.page_variant, f.session_id", ("last_at",)
)
DOMAIN_FUNNEL_SESSIONS = _funnel_sessions(
    "analytics_funnel_domain_sessions", "f.domain_id, f.page_name, f.page_variant, f.session_id"
)

# Attribution: each conversion (one `head` row, with the domains of the visitors it reached) and each
# touchpoint of those visitors up to the longest lookback before it.
CONVERSION_TOUCHES = View(
    "analytics_conversion_touches",
    """
WITH conversions AS (
  SELECT 'offline:' || oc.conversion_id AS conversion_id, 'offline' AS kind,
         oc.conversion_date AS converted_at, oc.conversion_value AS value,
         oc.lead_id, NULL::varchar AS hashed_email
  FROM offline_conversions oc
  UNION ALL
  SELECT 'checkout:' || t.id, 'checkout', t.order_date, t.offer_price, NULL::uuid, c.hashed_email
  FROM transactions t
  JOIN transaction_statuses ts ON ts.id = t.status_id AND ts.code = 'approved'
  JOIN customers c ON c.id = t.customer_id
), visitors AS (
  SELECT c.conversion_id, s.domain_id, s.visitor_id
  FROM conversions c JOIN leads l ON l.lead_id = c.lead_id JOIN sessions s ON s.session_id = l.session_id
  UNION
  SELECT c.conversion_id, s.domain_id, s.visitor_id
  FROM conversions c JOIN leads l ON l.hashed_email = c.hashed_email
  JOIN sessions s ON s.session_id = l.session_id
), reached AS (
  SELECT v.conversion_id, array_agg(DISTINCT v.domain_id ORDER BY v.domain_id) AS domains
  FROM visitors v GROUP BY v.conversion_id
), touches AS (
  SELECT v.conversion_id, v.domain_id, s.session_id, u.tracking_id,
         coalesce(u.created_at, s.started_at) AS touched_at,
         u.utm_source, u.utm_medium, u.utm_campaign, u.utm_content,
         coalesce(u.page_id, s.first_page_id) AS page_id
  FROM visitors v
  JOIN sessions s ON s.domain_id = v.domain_id AND s.visitor_id = v.visitor_id
  LEFT JOIN utm_tracking u ON u.session_id = s.session_id
)
SELECT c.conversion_id, c.kind, c.converted_at, c.value, coalesce(r.domains, '{}') AS domains,
       row_number() OVER (PARTITION BY c.conversion_id ORDER BY t.session_id, t.tracking_id) = 1 AS head,
       t.domain_id, t.session_id, t.tracking_id, t.touched_at,
       t.utm_source, t.utm_medium, t.utm_campaign, t.utm_content, t.page_id
FROM conversions c
LEFT JOIN reached r ON r.conversion_id = c.conversion_id
LEFT JOIN touches t ON t.conversion_id = c.conversion_id
                   AND t.touched_at <= c.converted_at
                   AND t.touched_at > c.converted_at - interval '365 days'""",
    "(conversion_id, session_id, tracking_id) NULLS NOT DISTINCT",
)
# channelRoi: each session with a UTM capture, per source and medium of its captures: its leads, offline
# sales and their value, the value counted once per capture as the example's join does.
CHANNEL_SESSIONS = View(
    "analytics_channel_sessions",
    """
WITH sold AS (
  SELECT l.session_id, count(DISTINCT l.lead_id) AS leads, count(DISTINCT oc.conversion_id) AS sales,
         sum(oc.conversion_value) AS revenue
  FROM leads l LEFT JOIN offline_conversions oc ON oc.lead_id = l.lead_id
  GROUP BY l.session_id
)
SELECT s.domain_id, s.session_id, s.created_at, ut.utm_source, ut.utm_medium,
       coalesce(sold.leads, 0) AS leads, coalesce(sold.sales, 0) AS sales, count(*) * sold.revenue AS revenue
FROM sessions s
JOIN utm_tracking ut ON ut.session_id = s.session_id
LEFT JOIN sold ON sold.session_id = s.session_id
GROUP BY s.domain_id, s.session_id, s.created_at, ut.utm_source, ut.utm_medium, sold.leads, sold.sales,
         sold.revenue""",
    "(session_id, utm_source, utm_medium) NULLS NOT DISTINCT",
)
# campaignPerformance: each UTM capture with its leads, their offline sales, the sales' value and the sum
# and count of the leads' time to conversion over the example's join (lead x sale rows).
CAPTURE_OUTCOMES = View(
    "analytics_capture_outcomes",
    """
SELECT ut.tracking_id, s.domain_id, ut.session_id, ut.created_at,
       ut.utm_campaign, ut.utm_source, ut.utm_medium,
       count(DISTINCT l.lead_id) AS leads, count(DISTINCT oc.conversion_id) AS sales,
       sum(oc.conversion_value) AS revenue,
       sum(l.time_to_conversion) AS conversion_seconds, count(l.time_to_conversion) AS timed
FROM utm_tracking ut
JOIN sessions s ON s.session_id = ut.session_id
LEFT JOIN leads l ON l.utm_tracking_id = ut.tracking_id
LEFT JOIN offline_conversions oc ON oc.lead_id = l.lead_id
GROUP BY ut.tracking_id, s.domain_id""",
    "(tracking_id)",
)
# Whole-history totals (migration 0021): per group, what the view's rows add up to over every day, and the
# span of their instants. A report reads them when the period holds every instant (`summarized`).
FUNNEL_TOTALS, DOMAIN_FUNNEL_TOTALS = (
    View(
        f"{view.name.removesuffix('_sessions')}_totals",
        f"""
SELECT {keys}, count(*) AS visitors, count(form_first_at) AS form_starts,
       min(first_at) AS first_at, max(last_at) AS last_at
FROM {view.name}
GROUP BY {keys}""",
        f"({keys}) NULLS NOT DISTINCT",
    )
    for view, keys in (
        (FUNNEL_SESSIONS, "page_name, page_variant"),
        (DOMAIN_FUNNEL_SESSIONS, "domain_id, page_name, page_variant"),
    )
)
# A session has one domain: its captures' distinct sessions add up across domains.
CAMPAIGN_TOTALS = View(
    "analytics_campaign_totals",
    """
SELECT domain_id, utm_campaign, utm_source, utm_medium, count(DISTINCT session_id) AS sessions,
       sum(leads) AS leads, sum(sales) AS sales, sum(revenue) AS revenue,
       sum(conversion_seconds) AS conversion_seconds, sum(timed) AS timed,
       min(created_at) AS first_at, max(created_at) AS last_at
FROM analytics_capture_outcomes
GROUP BY domain_id, utm_campaign, utm_source, utm_medium""",
    "(domain_id, utm_campaign, utm_source, utm_medium) NULLS NOT DISTINCT",
)
# attribution and compareModels with the default window over every domain: each conversion of
# analytics_conversion_touches once (no session; `attributed` when it has a touch in the window), and each
# touch in the window with its credits by every model. Periods and kinds pick whole conversions, whose
# credits do not depend on each other, so any of them reads these rows as they are.
_TOUCH = "session_id, tracking_id, utm_source, utm_medium, utm_campaign, utm_content, page_id"
DEFAULT_CREDITS = View(
    "analytics_default_credits",
    f"""
WITH touches AS (
  SELECT ct.conversion_id, ct.kind, ct.value, ct.converted_at, ct.touched_at, ct.utm_source IS NULL AS direct,
         {", ".join(f"ct.{column}" for column in _TOUCH.split(", "))}
  FROM analytics_conversion_touches ct
  WHERE ct.session_id IS NOT NULL
    AND ct.touched_at > ct.converted_at - make_interval(days => {DEFAULT_LOOKBACK_DAYS})
), {credited(MODELS, repr(DEFAULT_HALF_LIFE_DAYS), f"conversion_id, kind, converted_at, value, {_TOUCH}")}
SELECT ct.conversion_id, ct.kind, ct.converted_at, ct.value,
       ct.conversion_id IN (SELECT conversion_id FROM touches) AS attributed,
       NULL::varchar AS session_id, NULL::uuid AS tracking_id, NULL::varchar AS utm_source,
       NULL::varchar AS utm_medium, NULL::varchar AS utm_campaign, NULL::varchar AS utm_content,
       NULL::uuid AS page_id,
       {", ".join(f"NULL::numeric AS {m}_revenue, NULL::numeric AS {m}_conversions" for m in MODELS)}
FROM analytics_conversion_touches ct
WHERE ct.head
UNION ALL
SELECT conversion_id, kind, converted_at, value, NULL, {_TOUCH},
       {", ".join(f"{m}_revenue, {m}_conversions" for m in MODELS)}
FROM credited""",
    "(conversion_id, session_id, tracking_id) NULLS NOT DISTINCT",
)
# sessionTotals: each session once per distinct UTM keys of its captures (once, keys null, without any), with
# the columns sessions(filter:) reads and its local day in the default zone. Bit m of `heads` (m: a set of
# utm_source 1, utm_medium 2, utm_campaign 4, utm_content 8) marks one row per session and values of those
# keys, so a group's sessions are counted without deduplicating. Only sessions with several keys need the
# windows: the others' one row heads every set.
_UTM = ("utm_source", "utm_medium", "utm_campaign", "utm_content")
EVERY_HEAD = (1 << (1 << len(_UTM))) - 1
_HEADS = " | ".join(
    f"((row_number() OVER (PARTITION BY {', '.join(['session_id', *keys])}) = 1)::int << {m})"
    for m in range(1 << len(_UTM))
    for keys in [[key for i, key in enumerate(_UTM) if m >> i & 1]]
)
SESSION_CAPTURES = View(
    "analytics_session_captures",
    f"""
WITH captures AS (
  SELECT DISTINCT session_id, {", ".join(_UTM)} FROM utm_tracking
), counted AS (
  SELECT c.*, n.keys FROM captures c
  JOIN (SELECT session_id, count(*) AS keys FROM captures GROUP BY session_id) n USING (session_id)
), keyed AS (
  SELECT session_id, {", ".join(_UTM)}, {EVERY_HEAD} AS heads FROM counted WHERE keys = 1
  UNION ALL
  SELECT session_id, {", ".join(_UTM)}, {_HEADS} FROM counted WHERE keys > 1
)
SELECT s.session_id, s.domain_id, s.visitor_id, s.started_at, s.total_page_views, s.converted,
       (s.started_at AT TIME ZONE '{DEFAULT_TIME_ZONE}')::date AS day, k.session_id IS NOT NULL AS captured,
       {", ".join(f"k.{key}" for key in _UTM)}, coalesce(k.heads, {EVERY_HEAD}) AS heads
FROM sessions s LEFT JOIN keyed k ON k.session_id = s.session_id""",
    f"(session_id, {', '.join(_UTM)}) NULLS NOT DISTINCT",
    ("started_at",),
    # Workers for a scan of it cost more to start (34 ms under load) than they save, even when sessionTotals
    # reads the per-day totals and skips it.
    "parallel_workers = 0",
)
# Its rows counted per keys, heads and day: sessionTotals without filter in the default zone adds them up.
SESSION_DAY_TOTALS = View(
    "analytics_session_day_totals",
    f"""
SELECT {", ".join(_UTM)}, heads, day, count(*) AS sessions
FROM analytics_session_captures
GROUP BY {", ".join(_UTM)}, heads, day""",
    f"({', '.join(_UTM)}, heads, day) NULLS NOT DISTINCT",
)
# Refreshed in this order: totals after the view they add up.
VIEWS = (
    VARIANT_VISITORS,
    FUNNEL_SESSIONS,
    DOMAIN_FUNNEL_SESSIONS,
    CONVERSION_TOUCHES,
    CHANNEL_SESSIONS,
    CAPTURE_OUTCOMES,
    DEFAULT_CREDITS,
    SESSION_CAPTURES,
    FUNNEL_TOTALS,
    DOMAIN_FUNNEL_TOTALS,
    CAMPAIGN_TOTALS,
    SESSION_DAY_TOTALS,
)


def refreshed(view: View) -> str:
    """True once `view` was refreshed."""
    return f"EXISTS (SELECT FROM analytics_refreshes WHERE view_name = '{view.name}')"


def source(view: View, live: bool) -> str:
    """The view's rows as a FROM item: the view once refreshed, its definition before that or when live."""
    if live:
        return f"({view.definition})"
    return f"""(SELECT * FROM {view.name} WHERE {refreshed(view)}
   UNION ALL
   SELECT * FROM ({view.definition}) d WHERE NOT {refreshed(view)})"""


def summarized(totals: View, rows: View, s: Statement, period: Period) -> str:
    """True when `totals` were refreshed from the current `rows` and the period holds every instant of them:
    then the totals add up to what the rows would. A report's branches sit behind it or its negation."""
    inside = [*s.since("x.first_at", period), *s.until("x.last_at", period)]
    covered = (
        f" AND NOT EXISTS (SELECT FROM {totals.name} x WHERE NOT ({conditions(inside)}))" if inside else ""
    )
    return f"({fresh(totals, rows)}{covered})"


def fresh(totals: View, rows: View) -> str:
    """True when `totals` were refreshed from the current `rows`."""
    return (
        f"EXISTS (SELECT FROM analytics_refreshes t JOIN analytics_refreshes r ON r.view_name = "
        f"'{rows.name}' WHERE t.view_name = '{totals.name}' AND t.refreshed_at >= r.refreshed_at)"
    )


def refreshed_at(views: Sequence[View], live: bool) -> str:
    """The instant of the oldest refresh of `views`; null when one was never refreshed or when live."""
    if live:
        return "NULL::timestamptz"
    names = ", ".join(f"'{v.name}'" for v in views)
    return (
        f"(SELECT CASE WHEN count(*) = {len(views)} THEN min(refreshed_at) END "
        f"FROM analytics_refreshes WHERE view_name IN ({names}))"
    )
