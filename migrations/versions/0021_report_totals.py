"""Whole-history totals of landingPageFunnel's and campaignPerformance's views (issue 13, point 7).

Revision ID: 0021
Revises: 0020
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script
from resolvers.analytics.materialized import CAMPAIGN_TOTALS, DOMAIN_FUNNEL_TOTALS, FUNNEL_TOTALS

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOTALS = (FUNNEL_TOTALS, DOMAIN_FUNNEL_TOTALS, CAMPAIGN_TOTALS)


def upgrade() -> None:
    # Unrefreshed (no row in analytics_refreshes), so reports keep reading the views until the next refresh.
    for view in TOTALS:
        run_script(view.create())


def downgrade() -> None:
    run_script("\n".join(f"DROP MATERIALIZED VIEW {view.name};" for view in TOTALS))
