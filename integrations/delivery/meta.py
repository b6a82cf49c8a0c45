"""Meta Conversions API: CRM conversions as system-generated events, deduplicated by event_id.

Meta rejects the whole request when one event_time is over 7 days old, so old events are expired
before sending and a refused batch is split to isolate the event Meta objects to.
"""

import datetime as dt
from typing import Any

from integrations.delivery.account_settings import MetaSettings, TokenSecrets
from integrations.delivery.adapter import Adapter, all_rows, outside_window, unix_millis, unix_seconds
from integrations.delivery.open_accounts import OpenAccount
from integrations.delivery.outcomes import Outcome, delivered, failed, not_configured, retry
from integrations.delivery.rows import OutboxRow
from integrations.delivery.transport import Reply, Request, transient

WINDOW = dt.timedelta(days=7)
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613})  # Graph API throttling: retry later
INVALID_TOKEN = 190
EVENT_NAMES = {"purchase": "Purchase"}


def error_of(body: Any) -> dict[str, Any]:
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def message_of(error: dict[str, Any], body: Any) -> str:
    if not error:
        return str(body)[:500]
    detail = error.get("error_user_msg") or error.get("message", "")
    return f"code {error.get('code')}/{error.get('error_subcode')}: {detail}"


class Meta(Adapter):
    batch_limit = 1000
    all_or_nothing = True

    def __init__(self, account: OpenAccount, base_url: str) -> None:
        assert isinstance(account.settings, MetaSettings)
        assert isinstance(account.secrets, TokenSecrets)
        self.settings: MetaSettings = account.settings
        self.token = account.secrets.access_token
        self.base_url = base_url.rstrip("/")

    def check(self, row: OutboxRow, now: dt.datetime) -> Outcome | None:
        return outside_window(row.conversion_time, now, WINDOW, "event_time", "Meta")

    def event(self, row: OutboxRow) -> dict[str, Any]:
        ids = row.identifiers
        user: dict[str, Any] = {}
        if email := ids.get("hashed_email"):
            user["em"] = [email]
        if phone := ids.get("hashed_phone"):
            user["ph"] = [phone]
        if fbclid := ids.get("fbclid"):
            user["fbc"] = f"fb.1.{unix_millis(row.click_time or row.conversion_time)}.{fbclid}"
        name = row.payload["conversion_name"]
        return {
            "event_name": self.settings.event_names.get(name) or EVENT_NAMES.get(name, name),
            "event_time": unix_seconds(row.conversion_time),
            "event_id": row.dedup_key,
            "action_source": "system_generated",
            "user_data": user,
            "custom_data": {
                "value": float(row.value),
                "currency": row.payload["currency"],
                "event_source": "crm",
                "lead_event_source": self.settings.crm_name,
            },
        }

    async def request(self, events: list[dict[str, Any]]) -> Request:
        # The token travels in the body, not the query string, so no URL in any log carries it.
        body: dict[str, Any] = {"data": events, "access_token": self.token}
        if self.settings.test_event_code:
            body["test_event_code"] = self.settings.test_event_code
        return Request(f"{self.base_url}/{self.settings.api_version}/{self.settings.pixel_id}/events", body)

    def interpret(self, reply: Reply, events: list[dict[str, Any]]) -> list[Outcome]:
        count = len(events)
        error = error_of(reply.body)
        message = message_of(error, reply.body)
        if outcome := transient(reply, message):
            return all_rows(outcome, count)
        assert reply.status is not None
        if 200 <= reply.status < 300:
            return all_rows(delivered(), count)
        if error.get("code") in RATE_LIMIT_CODES or error.get("is_transient") is True:
            return all_rows(retry(f"Meta asked to retry: {message}", reply.retry_after), count)
        if reply.status == 401 or error.get("code") == INVALID_TOKEN:
            return all_rows(not_configured(f"Meta rejected the access token: {message}"), count)
        return all_rows(failed(f"Meta refused the events ({reply.status}): {message}"), count)
