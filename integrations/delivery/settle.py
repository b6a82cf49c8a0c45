"""From a row's outcome to what is stored: status, next attempt, error; retries stop at max_attempts."""

from integrations.delivery.backoff import retry_delay
from integrations.delivery.config import DeliveryConfig
from integrations.delivery.outbox_store import Claimed, Settled
from integrations.delivery.outcomes import Outcome, RowResult, Verdict, failed, not_configured
from integrations.delivery.rows import OutboxRow
from models.enums import DeliveryStatus, OutboxKind

FINAL = {
    Verdict.DELIVERED: DeliveryStatus.DELIVERED,
    Verdict.FAILED: DeliveryStatus.FAILED,
    Verdict.EXPIRED: DeliveryStatus.EXPIRED,
    Verdict.NOT_CONFIGURED: DeliveryStatus.NOT_CONFIGURED,
}


def settle(row: OutboxRow, result: RowResult, config: DeliveryConfig) -> Settled:
    outcome, sent = result.outcome, bool(result.attempts)
    if outcome.verdict in FINAL:
        error = None if outcome.verdict is Verdict.DELIVERED else outcome.message
        return Settled(FINAL[outcome.verdict], None, error, sent)
    if outcome.verdict is Verdict.DEFER:
        return Settled(DeliveryStatus.PENDING, outcome.retry_after or 0.0, outcome.message, sent)
    if row.attempts >= config.max_attempts:
        message = f"{outcome.message} (gave up after {row.attempts} attempts)"
        return Settled(DeliveryStatus.FAILED, None, message, sent)
    return Settled(
        DeliveryStatus.FAILED, retry_delay(config, row.attempts, outcome.retry_after), outcome.message, sent
    )


def retraction_blocker(claimed: Claimed) -> Outcome | None:
    """A retraction goes out only after its conversion was delivered: there is nothing else to take back."""
    row, status = claimed.row, claimed.conversion_status
    if row.kind is not OutboxKind.RETRACTION or status is DeliveryStatus.DELIVERED:
        return None
    if status is DeliveryStatus.NOT_CONFIGURED:
        return not_configured(f"waits for its conversion, which waits for {row.platform.value} credentials")
    where = "never queued" if status is None else f"{status.value}"
    return failed(f"the conversion was not delivered to {row.platform.value} ({where}): nothing to take back")
