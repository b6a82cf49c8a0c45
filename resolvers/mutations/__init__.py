"""What the CRM-connector mutations do: each one transaction, safe to repeat and to race."""
