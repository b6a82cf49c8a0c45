"""Google Ads API: uploadClickConversions (accounts configured for it) and conversion retractions.

The Data Manager API can restate a conversion's value but not retract it, so retractions of refunded
or charged-back sales always go through uploadConversionAdjustments, which needs a developer token.
"""

import datetime as dt
from typing import Any

from integrations.delivery.adapter import all_rows, google_datetime, outside_window
from integrations.delivery.google_common import CLICK_IDS, GoogleAdapter, click_id, hashed_ids
from integrations.delivery.google_errors import indexed_errors, row_outcome, status_message
from integrations.delivery.outcomes import Outcome, defer, failed, not_configured
from integrations.delivery.rows import OutboxRow
from integrations.delivery.transport import Reply, Request, transient

MAX_USER_IDENTIFIERS = 5
# Adjustments: the conversion must be at least a day old, and at most 54 days.
ADJUSTABLE_AFTER = dt.timedelta(hours=24)
ADJUSTABLE_FOR = dt.timedelta(days=54)


class GoogleAdsApi(GoogleAdapter):
    batch_limit = 2000
    method: str
    field: str

    @property
    def conversion_action(self) -> str:
        return f"customers/{self.settings.customer_id}/conversionActions/{self.settings.conversion_action_id}"

    async def request(self, events: list[dict[str, Any]]) -> Request:
        headers = {
            "Authorization": f"Bearer {await self.bearer()}",
            "developer-token": self.secrets.developer_token or "",
        }
        if self.settings.login_customer_id:
            headers["login-customer-id"] = self.settings.login_customer_id
        url = (
            f"{self.base_url}/{self.settings.api_version}/customers/{self.settings.customer_id}:{self.method}"
        )
        return Request(url, {self.field: events, "partialFailure": True}, headers)

    def interpret(self, reply: Reply, events: list[dict[str, Any]]) -> list[Outcome]:
        count = len(events)
        message = status_message(reply.body)
        if outcome := transient(reply, message):
            return all_rows(outcome, count)
        assert reply.status is not None
        if reply.status == 401:
            return all_rows(not_configured(f"Google rejected the credentials (401): {message}"), count)
        if not 200 <= reply.status < 300:
            return all_rows(failed(f"Google Ads refused the request ({reply.status}): {message}"), count)
        failure = reply.body.get("partialFailureError") if isinstance(reply.body, dict) else None
        errors = indexed_errors(failure, self.field) if isinstance(failure, dict) else {}
        return [
            row_outcome(errors.get(index, []), had_click=any(key in event for key in CLICK_IDS))
            for index, event in enumerate(events)
        ]


class GoogleAdsClicks(GoogleAdsApi):
    method = "uploadClickConversions"
    field = "conversions"

    def check(self, row: OutboxRow, now: dt.datetime) -> Outcome | None:
        return self.click_window(row, now)

    def event(self, row: OutboxRow) -> dict[str, Any]:
        event: dict[str, Any] = {
            "conversionAction": self.conversion_action,
            "conversionDateTime": google_datetime(row.conversion_time),
            "conversionValue": float(row.value),
            "currencyCode": row.payload["currency"],
            "orderId": row.dedup_key,
        }
        if click := click_id(row):
            event[click[0]] = click[1]
        if identifiers := hashed_ids(row, "hashedEmail", "hashedPhoneNumber"):
            event["userIdentifiers"] = identifiers[:MAX_USER_IDENTIFIERS]
        return event


class GoogleAdsRetractions(GoogleAdsApi):
    method = "uploadConversionAdjustments"
    field = "conversionAdjustments"

    def check(self, row: OutboxRow, now: dt.datetime) -> Outcome | None:
        if not self.secrets.developer_token:
            return not_configured(
                "retracting a Google Ads conversion needs the Google Ads API (secrets.developer_token):"
                " the Data Manager API can restate a value but not retract a conversion"
            )
        if late := outside_window(
            row.conversion_time, now, ADJUSTABLE_FOR, "the sale", "a Google Ads adjustment"
        ):
            return late
        settles = row.conversion_time + ADJUSTABLE_AFTER - now
        if settles > dt.timedelta(0):
            return defer("Google adjusts conversions at least 24 hours old", settles.total_seconds())
        return None

    def event(self, row: OutboxRow) -> dict[str, Any]:
        # The adjustment must come after the conversion it retracts.
        adjusted = max(row.adjusted_at or row.conversion_time, row.conversion_time + dt.timedelta(seconds=1))
        return {
            "conversionAction": self.conversion_action,
            "adjustmentType": "RETRACTION",
            "adjustmentDateTime": google_datetime(adjusted),
            "orderId": row.conversion_dedup_key,
        }
