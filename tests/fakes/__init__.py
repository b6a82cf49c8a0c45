"""Fake outside services on 127.0.0.1 for delivery tests: ad platforms and a CRM webhook."""
