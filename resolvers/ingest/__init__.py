"""Tracking ingestion: visits, events and leads from landing pages, one code path for GraphQL and /collect."""
