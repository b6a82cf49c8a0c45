"""Logging as JSON lines on stderr, each carrying the request id of the request that wrote it."""

import logging
from typing import Any

from telemetry.request import current


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        stats = current.get()
        if stats is not None and not hasattr(record, "request_id"):
            record.request_id = stats.request_id
        return True


def log_config(level: str) -> dict[str, Any]:
    """uvicorn's `log_config`: applied in every worker process."""
    level = level.upper()
    handler = {"handlers": ["stderr"], "level": level, "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": ["levelname", "name", "process", "message"],
                "rename_fields": {"levelname": "level", "name": "logger", "process": "pid"},
                "timestamp": "time",
            }
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "json",
                "filters": ["request_id"],
            },
            # A logger without any handler would reach logging's last resort, which prints plain text.
            "discard": {"class": "logging.NullHandler"},
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
        "loggers": {
            "uvicorn": handler,
            "rastro": handler,
            # The access log carries client addresses; rastro.request writes one line per request instead.
            "uvicorn.access": {"handlers": ["discard"], "propagate": False},
            # Strawberry logs every GraphQL error with its message, which may quote a client's values;
            # unexpected errors are logged by rastro.graphql (type and path only).
            "strawberry.execution": {"handlers": ["discard"], "propagate": False},
        },
    }
