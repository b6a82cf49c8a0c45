"""Tests of monthly partitioning."""

# The partitioned tables, in the order `rastro partitions` reports them.
TABLES = (
    "events",
    "integrations_log",
    "page_views",
    "platform_sync_log",
    "platform_transaction_payment_history",
)
