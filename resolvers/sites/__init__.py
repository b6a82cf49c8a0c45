"""What admins set up for tracking: domains (allowed origins, active), landing pages and ingest keys."""
