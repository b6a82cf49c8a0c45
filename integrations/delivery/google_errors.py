"""Google's error answers: google.rpc.Status bodies and GoogleAdsFailure details, read the same way."""

from typing import Any

from integrations.delivery.outcomes import Outcome, delivered, expired, failed, retry

SIX_HOURS = 6 * 3600.0
DAY = 24 * 3600.0

# research §2.1 and the ConversionUploadError / ConversionAdjustmentUploadError enums.
ALREADY_THERE = frozenset(
    {"ORDER_ID_ALREADY_IN_USE", "CLICK_CONVERSION_ALREADY_EXISTS", "CONVERSION_ALREADY_RETRACTED"}
)
RETRY_LATER = {
    "TOO_RECENT_EVENT": SIX_HOURS,
    "TOO_RECENT_CALL": SIX_HOURS,
    "TOO_RECENT_CONVERSION_ACTION": SIX_HOURS,
    "CONVERSION_NOT_FOUND": SIX_HOURS,  # an adjustment before Google has processed the conversion
    "TOO_RECENT_CONVERSION": DAY,  # adjustments need a conversion at least 24 h old
}
TRANSIENT = frozenset({"INTERNAL_ERROR", "TRANSIENT_ERROR", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED"})
WINDOW_PASSED = frozenset({"EXPIRED_EVENT", "CONVERSION_EXPIRED"})


def status_message(body: Any) -> str:
    """The message of a google.rpc.Status answer, with the reasons of its details."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return str(body)[:500]
    reasons = [code for detail in error.get("details") or [] for code in detail_codes(detail)]
    suffix = f" [{', '.join(reasons)}]" if reasons else ""
    return f"{error.get('status') or error.get('code')}: {error.get('message', '')}{suffix}"


def detail_codes(detail: dict[str, Any]) -> list[str]:
    """Error codes of one detail: an ErrorInfo reason, or the codes of a GoogleAdsFailure."""
    if "reason" in detail:
        return [str(detail["reason"])]
    return [code for item in detail.get("errors") or [] if (code := error_code(item))]


def error_code(item: dict[str, Any]) -> str | None:
    """{'errorCode': {'conversionUploadError': 'CLICK_NOT_FOUND'}} -> 'CLICK_NOT_FOUND'."""
    codes = item.get("errorCode") or {}
    return next((str(value) for value in codes.values()), None)


def indexed_errors(failure: dict[str, Any], field: str) -> dict[int, list[tuple[str, str]]]:
    """Per-row (code, message) pairs of a partial failure, by the index of the row in `field`."""
    rows: dict[int, list[tuple[str, str]]] = {}
    for detail in failure.get("details") or []:
        for item in detail.get("errors") or []:
            path = (item.get("location") or {}).get("fieldPathElements") or []
            index = next((p.get("index") for p in path if p.get("fieldName") == field), None)
            if index is not None:
                rows.setdefault(int(index), []).append(
                    (error_code(item) or "UNKNOWN", item.get("message", ""))
                )
    return rows


def row_outcome(errors: list[tuple[str, str]], had_click: bool) -> Outcome:
    """A row's outcome from its partial-failure errors (none: delivered)."""
    if not errors:
        return delivered()
    codes = {code for code, _ in errors}
    message = "; ".join(f"{code}: {text}" for code, text in errors)
    if codes <= ALREADY_THERE:
        return delivered(f"already known to Google ({message})")
    if codes == {"CLICK_NOT_FOUND"} and not had_click:
        return delivered(
            "no Google click matched the hashed identifiers (expected for enhanced conversions for leads)"
        )
    if later := [RETRY_LATER[code] for code in codes if code in RETRY_LATER]:
        return retry(message, max(later))
    if codes & TRANSIENT:
        return retry(message)
    if codes & WINDOW_PASSED:
        return expired(message)
    return failed(message)
