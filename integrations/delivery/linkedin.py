"""LinkedIn Conversions API: a BATCH_CREATE of conversion events, one status per event."""

import datetime as dt
from typing import Any

from integrations.delivery.account_settings import LinkedInSettings, TokenSecrets
from integrations.delivery.adapter import Adapter, all_rows, outside_window, unix_millis
from integrations.delivery.open_accounts import OpenAccount
from integrations.delivery.outcomes import Outcome, delivered, failed, not_configured, retry
from integrations.delivery.rows import OutboxRow
from integrations.delivery.transport import Reply, Request, transient

WINDOW = dt.timedelta(days=90)


def message_of(body: Any) -> str:
    if isinstance(body, dict) and body.get("message"):
        return f"{body.get('code') or body.get('status')}: {body['message']}"
    return str(body)[:500]


def element_outcome(element: dict[str, Any]) -> Outcome:
    status = int(element.get("status", 201))
    if 200 <= status < 300 or status == 409:  # 409: this eventId is already recorded
        return delivered()
    message = f"{status}: {message_of(element.get('error') or element)}"
    if status == 429 or status >= 500:
        return retry(message)
    return failed(message)


class LinkedIn(Adapter):
    batch_limit = 5000
    all_or_nothing = True

    def __init__(self, account: OpenAccount, base_url: str) -> None:
        assert isinstance(account.settings, LinkedInSettings)
        assert isinstance(account.secrets, TokenSecrets)
        self.settings: LinkedInSettings = account.settings
        self.token = account.secrets.access_token
        self.base_url = base_url.rstrip("/")

    def check(self, row: OutboxRow, now: dt.datetime) -> Outcome | None:
        return outside_window(row.conversion_time, now, WINDOW, "the conversion", "LinkedIn")

    def event(self, row: OutboxRow) -> dict[str, Any]:
        ids = row.identifiers
        user_ids = []
        if email := ids.get("hashed_email"):
            user_ids.append({"idType": "SHA256_EMAIL", "idValue": email})
        if li_fat_id := ids.get("li_fat_id"):
            user_ids.append({"idType": "LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID", "idValue": li_fat_id})
        return {
            "conversion": f"urn:lla:llaPartnerConversion:{self.settings.conversion_rule_id}",
            "conversionHappenedAt": unix_millis(row.conversion_time),
            "conversionValue": {"currencyCode": row.payload["currency"], "amount": str(row.value)},
            "eventId": row.dedup_key,
            "user": {"userIds": user_ids},
        }

    async def request(self, events: list[dict[str, Any]]) -> Request:
        headers = {
            "Authorization": f"Bearer {self.token}",
            "LinkedIn-Version": self.settings.version,
            "X-Restli-Protocol-Version": "2.0.0",
            "X-RestLi-Method": "BATCH_CREATE",
        }
        return Request(f"{self.base_url}/rest/conversionEvents", {"elements": events}, headers)

    def interpret(self, reply: Reply, events: list[dict[str, Any]]) -> list[Outcome]:
        count = len(events)
        message = message_of(reply.body)
        if outcome := transient(reply, message):
            return all_rows(outcome, count)
        assert reply.status is not None
        if reply.status == 401:
            return all_rows(not_configured(f"LinkedIn rejected the access token: {message}"), count)
        if not 200 <= reply.status < 300:
            return all_rows(failed(f"LinkedIn refused the events ({reply.status}): {message}"), count)
        elements = reply.body.get("elements") if isinstance(reply.body, dict) else None
        if not isinstance(elements, list) or len(elements) != count:
            return all_rows(delivered(), count)
        return [element_outcome(element) for element in elements]
