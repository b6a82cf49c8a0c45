"""What became of one row after an attempt, and what each attempt to reach a platform looked like."""

import enum
from dataclasses import dataclass, field
from typing import Any


class Verdict(enum.Enum):
    DELIVERED = "delivered"
    RETRY = "retry"  # retryable: again after a backoff, or after retry_after
    FAILED = "failed"  # permanent: the platform said what is wrong with the data or the account
    EXPIRED = "expired"  # outside the platform's window; never sent
    NOT_CONFIGURED = "not_configured"  # no usable account or credentials; sent once they arrive
    DEFER = "defer"  # not sendable yet (too recent); not an attempt


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    message: str | None = None
    retry_after: float | None = None  # seconds; RETRY honours it, DEFER waits exactly that long


def delivered(message: str | None = None) -> Outcome:
    return Outcome(Verdict.DELIVERED, message)


def retry(message: str, after: float | None = None) -> Outcome:
    return Outcome(Verdict.RETRY, message, after)


def failed(message: str) -> Outcome:
    return Outcome(Verdict.FAILED, message)


def expired(message: str) -> Outcome:
    return Outcome(Verdict.EXPIRED, message)


def not_configured(message: str) -> Outcome:
    return Outcome(Verdict.NOT_CONFIGURED, message)


def defer(message: str, seconds: float) -> Outcome:
    return Outcome(Verdict.DEFER, message, seconds)


@dataclass(frozen=True)
class Attempt:
    """One request as one row saw it: what it sent of the row, and what came back."""

    request: dict[str, Any]
    response: dict[str, Any] | None
    http_status: int | None
    duration_ms: int
    outcome: Outcome


@dataclass
class RowResult:
    """The final outcome of a claimed row, and every request it was part of (a split batch: several)."""

    outcome: Outcome
    attempts: list[Attempt] = field(default_factory=list)
