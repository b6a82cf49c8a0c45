"""Google Ads through the Data Manager API (events:ingest): the default for offline conversions.

All or nothing: one invalid event rejects the request, so a refused batch is split to isolate it.
"""

import datetime as dt
from typing import Any

from integrations.delivery.adapter import all_rows, rfc3339
from integrations.delivery.google_common import GoogleAdapter, click_id, hashed_ids
from integrations.delivery.google_errors import status_message
from integrations.delivery.outcomes import Outcome, delivered, failed, not_configured
from integrations.delivery.rows import OutboxRow
from integrations.delivery.transport import Reply, Request, transient


class GoogleDataManager(GoogleAdapter):
    batch_limit = 2000
    all_or_nothing = True

    def check(self, row: OutboxRow, now: dt.datetime) -> Outcome | None:
        return self.click_window(row, now)

    def event(self, row: OutboxRow) -> dict[str, Any]:
        event: dict[str, Any] = {
            "transactionId": row.dedup_key,
            "eventTimestamp": rfc3339(row.conversion_time),
            "conversionValue": float(row.value),
            "currency": row.payload["currency"],
            "eventSource": self.settings.event_source,
        }
        if click := click_id(row):
            event["adIdentifiers"] = {click[0]: click[1]}
        if identifiers := hashed_ids(row, "emailAddress", "phoneNumber"):
            event["userData"] = {"userIdentifiers": identifiers}
        return event

    async def request(self, events: list[dict[str, Any]]) -> Request:
        destination: dict[str, Any] = {
            "operatingAccount": {"accountType": "GOOGLE_ADS", "accountId": self.settings.customer_id},
            "productDestinationId": self.settings.conversion_action_id,
        }
        if self.settings.login_customer_id:
            destination["loginAccount"] = {
                "accountType": "GOOGLE_ADS",
                "accountId": self.settings.login_customer_id,
            }
        return Request(
            f"{self.base_url}/v1/events:ingest",
            {"destinations": [destination], "encoding": "HEX", "events": events},
            {"Authorization": f"Bearer {await self.bearer()}"},
        )

    def interpret(self, reply: Reply, events: list[dict[str, Any]]) -> list[Outcome]:
        count = len(events)
        message = status_message(reply.body)
        if outcome := transient(reply, message):
            return all_rows(outcome, count)
        assert reply.status is not None
        if 200 <= reply.status < 300:
            return all_rows(delivered(), count)
        if reply.status == 401:
            return all_rows(not_configured(f"Google rejected the credentials (401): {message}"), count)
        return all_rows(failed(f"Google Data Manager refused the events ({reply.status}): {message}"), count)
