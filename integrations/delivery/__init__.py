"""Delivery out of Rastro: conversions to the ad platforms, new leads to the domain's CRM webhook.

The worker (worker.py) claims due rows (outbox_store.py, webhook_store.py), sends them through one
adapter per platform, and records every attempt. See docs/decisions/delivery.md.
"""
