"""Attribution credits as SQL: each touch's share of its conversion, by model, rounded so that a conversion's
credits add up to its value. Written once for the reports (attribution.py) and for the view of the default
window's credits (materialized.py)."""

from collections.abc import Sequence

DEFAULT_LOOKBACK_DAYS = 30
DEFAULT_HALF_LIFE_DAYS = 7.0
MODELS = ("first_touch", "last_touch", "last_non_direct", "linear", "time_decay", "position_based")

# The models crediting one touch with the whole conversion: that touch's credits are the value and 1, as
# the rounded cumulative shares below would make them (values have at most 4 decimals), at less cost.
WHOLE = {
    "first_touch": "position = 1",
    "last_touch": "position = touches",
    "last_non_direct": "non_direct_rank = 1",
}
# The other models' share of one conversion for the touch at `position` of `touches` (ordered by time).
SHARES = {
    "linear": "1::numeric / touches",
    "time_decay": "(decay / sum(decay) OVER (PARTITION BY conversion_id))::numeric",
    "position_based": """CASE WHEN touches = 1 THEN 1::numeric
             WHEN touches = 2 THEN 0.5
             WHEN position = 1 OR position = touches THEN 0.4
             ELSE 0.2 / (touches - 2) END""",
}


def _credit(model: str) -> str:
    if model in WHOLE:
        # A lone touch's credit keeps the value's own scale, as the difference below leaves it.
        return f"""CASE WHEN touches = 1 THEN value
           ELSE round(CASE WHEN {WHOLE[model]} THEN value ELSE 0 END, 4) END AS {model}_revenue,
         CASE WHEN {WHOLE[model]} THEN 1 ELSE 0 END AS {model}_conversions"""
    return f"""CASE WHEN position = touches THEN value ELSE round(value * {model}_cumulative, 4) END
           - CASE WHEN position = 1 THEN 0 ELSE round(value * ({model}_cumulative - {model}_share), 4) END
           AS {model}_revenue,
         CASE WHEN position = touches THEN 1 ELSE round({model}_cumulative, 6) END
           - CASE WHEN position = 1 THEN 0 ELSE round({model}_cumulative - {model}_share, 6) END
           AS {model}_conversions"""


def credited(models: Sequence[str], half_life: str, columns: str, name: str = "credited") -> str:
    """CTEs over the CTE `touches` (conversion_id, value, converted_at, touched_at, session_id, tracking_id,
    direct...), the last one `name`: `columns` of each touch with its `<model>_revenue` and
    `<model>_conversions` for each of `models`; `half_life` is the time decay's, in days (SQL)."""
    shared = [m for m in models if m in SHARES]
    shares = "".join(f",\n         {SHARES[m]} AS {m}_share" for m in shared)
    cumulative = "".join(
        f",\n         sum({m}_share) OVER (PARTITION BY conversion_id ORDER BY position) AS {m}_cumulative"
        for m in shared
    )
    credits = ",\n         ".join(_credit(m) for m in models)
    return f"""ordered AS (
  SELECT t.*,
         row_number() OVER (PARTITION BY conversion_id ORDER BY touched_at, session_id, tracking_id)
           AS position,
         count(*) OVER (PARTITION BY conversion_id) AS touches,
         -- The latest touch with a UTM source; the latest direct one when there is none.
         row_number() OVER (PARTITION BY conversion_id
                            ORDER BY direct, touched_at DESC, session_id DESC, tracking_id DESC)
           AS non_direct_rank,
         -- float8: numeric power() cost more than the whole rest of the report.
         power(0.5::float8, extract(epoch FROM converted_at - touched_at)::float8
                            / (86400 * CAST({half_life} AS float8))) AS decay
  FROM touches t
), weighted AS (
  SELECT o.*{shares}
  FROM ordered o
), shared AS (
  SELECT w.*{cumulative}
  FROM weighted w
), {name} AS (
  SELECT {columns},
         {credits}
  FROM shared t
)"""
