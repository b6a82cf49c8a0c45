"""The reference schema: the 24 tables of the seed documents, enums, indexes, view and triggers.

Revision ID: 0001
Revises:
"""

from collections.abc import Sequence
from pathlib import Path

from migrations.raw_sql import run_file, run_script

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "platform_sale_offer_history", "platform_software_invoice_history", "platform_utm_history",
    "platform_transaction_payment_history", "marketing_costs", "platform_commission",
    "transaction_items", "transactions", "offers", "products", "customers", "transaction_statuses",
    "platform_sync_log", "integrations_log", "offline_conversions", "lead_stages", "leads", "events",
    "page_views", "utm_tracking", "visitor_journeys", "sessions", "landing_pages", "domains",
)


def upgrade() -> None:
    run_file(Path(__file__).with_suffix(".sql"))


def downgrade() -> None:
    run_script(
        "DROP VIEW platform_payment_history_with_retention;\n"
        + "".join(f"DROP TABLE {table};\n" for table in TABLES)
        + "DROP TYPE payment_type_enum;\nDROP TYPE payment_method_enum;\n"
        + "DROP FUNCTION rastro_set_updated_at();\n"
    )
