"""Customers found by the digits of their phone through an index (data-subject requests by phone).

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    run_script(r"""
CREATE INDEX idx_customers_phone_digits ON customers ((regexp_replace(phone, '\D', '', 'g')));
""")


def downgrade() -> None:
    run_script("DROP INDEX idx_customers_phone_digits;")
